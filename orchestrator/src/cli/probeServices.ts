import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { clientChannel, WorkerServiceClient, type ServiceSecurity } from '@evalshard/proto';
import { InputError } from '@evalshard/scorer';
import { CLIENT_CHANNEL_OPTIONS } from '../grpc/channelOptions.js';
import { ScorerClient } from '../grpc/scorerClient.js';

const PROBE_DEADLINE_MS = 5_000;

/**
 * Asks the scorer and each GPU worker once whether they accept this
 * process's credentials, so that a missing or wrong token fails `evalshard
 * worker` at start with one clear line rather than every shard later. A
 * service that does not answer yet is only reported: it may start after.
 */
export async function probeServices(scorerAddress: string, workerAddresses: string[], security: ServiceSecurity): Promise<string[]> {
  const unreachable: string[] = [];
  const refused = (address: string, error: ServiceError) => {
    if (error.code === status.UNAUTHENTICATED || error.code === status.PERMISSION_DENIED) {
      throw new InputError(`${address} refused this worker's credentials (${error.details}): give the cluster's --auth-token-file or client certificate`, {
        field: '--auth-token-file',
        code: 'UNAUTHENTICATED',
      });
    }
    unreachable.push(`${address} (${error.details || error.message})`);
  };
  const scorer = new ScorerClient(scorerAddress, security);
  try {
    await scorer.listRuns({ last: 1 });
  } catch (error) {
    refused(scorerAddress, error as ServiceError);
  } finally {
    scorer.close();
  }
  const channel = clientChannel(security, CLIENT_CHANNEL_OPTIONS);
  for (const address of workerAddresses) {
    const client = new WorkerServiceClient(address, channel.credentials, channel.options);
    const error = await new Promise<ServiceError | null>((resolve) =>
      client.health({}, new Metadata(), { deadline: Date.now() + PROBE_DEADLINE_MS }, (failure) => resolve(failure)),
    );
    client.close();
    if (error !== null) refused(address, error);
  }
  return unreachable;
}
