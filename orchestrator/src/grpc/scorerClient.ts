import { Metadata, type ServiceError } from '@grpc/grpc-js';
import {
  clientChannel,
  ListRunsRequest,
  RunEntry,
  ScorerServiceClient,
  type FinalizeRunRequest,
  type FinalizeRunResponse,
  type GetRunResponse,
  type ListRunsResponse,
  type RecordRunResponse,
  type ListShardsRequest,
  type ListShardsResponse,
  type OpenRunRequest,
  type OpenRunResponse,
  type SubmitPartialRequest,
  type SubmitPartialResponse,
  type ServiceSecurity,
} from '@evalshard/proto';
import { CLIENT_CHANNEL_OPTIONS } from './channelOptions.js';

const UNARY_DEADLINE_MS = 60_000;
// Finalize merges every stored partial of the run.
const FINALIZE_DEADLINE_MS = 30 * 60_000;

type Unary<Request, Response> = (
  request: Request,
  metadata: Metadata,
  options: { deadline: number },
  callback: (error: ServiceError | null, response: Response) => void,
) => unknown;

/** Promise-returning scorer calls, each with a deadline. */
export class ScorerClient {
  private readonly client: ScorerServiceClient;

  constructor(readonly address: string, security?: ServiceSecurity) {
    const channel = clientChannel(security, CLIENT_CHANNEL_OPTIONS);
    this.client = new ScorerServiceClient(address, channel.credentials, channel.options);
  }

  openRun(request: OpenRunRequest): Promise<OpenRunResponse> {
    return this.call(this.client.openRun, request, UNARY_DEADLINE_MS);
  }

  submitPartial(request: SubmitPartialRequest): Promise<SubmitPartialResponse> {
    return this.call(this.client.submitPartial, request, UNARY_DEADLINE_MS);
  }

  listShards(request: ListShardsRequest): Promise<ListShardsResponse> {
    return this.call(this.client.listShards, request, UNARY_DEADLINE_MS);
  }

  finalizeRun(request: FinalizeRunRequest): Promise<FinalizeRunResponse> {
    return this.call(this.client.finalizeRun, request, FINALIZE_DEADLINE_MS);
  }

  recordRun(entry: Partial<RunEntry> & { runId: string }): Promise<RecordRunResponse> {
    return this.call(this.client.recordRun, { entry: RunEntry.fromPartial(entry) }, UNARY_DEADLINE_MS);
  }

  listRuns(request: Partial<ListRunsRequest>): Promise<ListRunsResponse> {
    return this.call(this.client.listRuns, ListRunsRequest.fromPartial(request), UNARY_DEADLINE_MS);
  }

  getRun(runId: string): Promise<GetRunResponse> {
    return this.call(this.client.getRun, { runId }, UNARY_DEADLINE_MS);
  }

  close(): void {
    this.client.close();
  }

  private call<Request, Response>(method: unknown, request: Request, deadlineMs: number): Promise<Response> {
    const unary = (method as Unary<Request, Response>).bind(this.client);
    return new Promise((resolve, reject) => {
      unary(request, new Metadata(), { deadline: Date.now() + deadlineMs }, (error, response) =>
        error ? reject(error) : resolve(response),
      );
    });
  }
}
