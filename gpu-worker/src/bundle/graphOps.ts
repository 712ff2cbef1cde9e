/**
 * The operator types of an ONNX model's main graph, read straight from the
 * protobuf bytes (ModelProto.graph = 7, GraphProto.node = 1, NodeProto.op_type
 * = 4): onnxruntime-node does not expose the graph.
 */
export function graphOps(model: Uint8Array): Set<string> {
  const ops = new Set<string>();
  const graph = lengthDelimitedFields(model, 7)[0];
  if (graph === undefined) return ops;
  const decoder = new TextDecoder();
  for (const node of lengthDelimitedFields(graph, 1)) {
    for (const opType of lengthDelimitedFields(node, 4)) ops.add(decoder.decode(opType));
  }
  return ops;
}

/**
 * Operators whose result for one row depends on the other rows of the batch:
 * dynamic quantization computes one scale from the whole input tensor. A
 * graph with any of them runs one document per call in exact mode.
 */
export const ROW_COUPLING_OPS = ['DynamicQuantizeLinear', 'DynamicQuantizeMatMul', 'DynamicQuantizeLSTM'] as const;

export function rowCouplingOps(ops: Set<string>): string[] {
  return ROW_COUPLING_OPS.filter((op) => ops.has(op));
}

// The values of one length-delimited field of a message, skipping the others.
function lengthDelimitedFields(message: Uint8Array, field: number): Uint8Array[] {
  const found: Uint8Array[] = [];
  let position = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (position >= message.length) throw new RangeError('truncated protobuf varint');
      const byte = message[position++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  };
  while (position < message.length) {
    const key = varint();
    const wireType = key % 8;
    const number = Math.floor(key / 8);
    if (wireType === 0) varint();
    else if (wireType === 1) position += 8;
    else if (wireType === 5) position += 4;
    else if (wireType === 2) {
      const length = varint();
      if (number === field) found.push(message.subarray(position, position + length));
      position += length;
    } else {
      throw new RangeError(`unsupported protobuf wire type ${wireType}`);
    }
  }
  return found;
}
