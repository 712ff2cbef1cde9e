import { GRPC_CHANNEL_OPTIONS } from '@evalshard/proto';
import type { ChannelOptions } from '@grpc/grpc-js';

/** Reconnect quickly: a worker restarted by its supervisor is back within a second or two. */
export const CLIENT_CHANNEL_OPTIONS: ChannelOptions = {
  ...GRPC_CHANNEL_OPTIONS,
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 2_000,
};
