import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { classifyAwsError } from './errors';

/** The emulator marks every answer with this header; data fetched through it is simulated. */
export const EMULATOR_HEADER = 'x-bedrock-atlas-emulator';

export interface HandlerWatch {
  emulator(): void;
  answered(): void;
  unreachable(cause: string): void;
}

export type HandlerOptions = NonNullable<ConstructorParameters<typeof NodeHttpHandler>[0]>;

/**
 * A handler that notices, whichever service's client sent the request, the emulator's mark on an answer and whether
 * the endpoint answered at all (a connection refused or dropped is not an answer; a cancel says nothing). The class
 * is made once the SDK's handler is loaded (it is loaded with the first client).
 */
function defineWatchingHandler(Base: typeof NodeHttpHandler) {
  return class WatchingHandler extends Base {
    constructor(
      options: HandlerOptions,
      private readonly watch: HandlerWatch,
    ) {
      super(options);
    }

    override async handle(...args: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
      let answer: Awaited<ReturnType<NodeHttpHandler['handle']>>;
      try {
        answer = await super.handle(...args);
      } catch (error) {
        const failure = classifyAwsError(error);
        if (failure.errorClass === 'network') this.watch.unreachable(`${failure.name} to ${args[0].hostname}${args[0].port ? `:${args[0].port}` : ''}`);
        throw error;
      }
      if (answer.response.headers[EMULATOR_HEADER] === '1') this.watch.emulator();
      this.watch.answered();
      return answer;
    }
  };
}

const watchingHandlers = new WeakMap<typeof NodeHttpHandler, ReturnType<typeof defineWatchingHandler>>();
export function watchingHandlerOf(Base: typeof NodeHttpHandler): ReturnType<typeof defineWatchingHandler> {
  let Watching = watchingHandlers.get(Base);
  if (!Watching) {
    Watching = defineWatchingHandler(Base);
    watchingHandlers.set(Base, Watching);
  }
  return Watching;
}
