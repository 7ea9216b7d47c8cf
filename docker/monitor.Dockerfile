# The headless monitor (`bedrock-atlas monitor`) as a container. Build from the repository root:
#   docker build -f docker/monitor.Dockerfile -t bedrock-atlas-monitor .
# Run with the config mounted read-only, a volume for its data, and the standard AWS and OTel variables:
#   docker run --read-only -v atlas-data:/data -v "$PWD/monitor.json:/config/monitor.json:ro" \
#     -e AWS_REGION -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY -e AWS_SESSION_TOKEN \
#     -e OTEL_EXPORTER_OTLP_ENDPOINT bedrock-atlas-monitor --config /config/monitor.json
# Only /data is written (history, catalog cache, the store's spool, temporary files), so the root file system can
# be read-only (ECS: readonlyRootFilesystem).

# The build stage installs everything once: `npm ci` runs `prepare`, which bundles the CLI into out/cli with esbuild
# (a dev dependency), then the dev dependencies are pruned away.
FROM node:22-slim AS build
WORKDIR /app
# Electron and Playwright are dev dependencies of the desktop app: their binaries are not needed to build the CLI.
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_config_update_notifier=false npm_config_fund=false
COPY package.json package-lock.json ./
COPY bin ./bin
COPY src-main ./src-main
COPY src-shared ./src-shared
COPY bundled ./bundled
# One input the CLI's bundle lists (the web host's renderer build): present, so the bundle counts as current.
COPY build/renderer-config.ts ./build/renderer-config.ts
RUN npm ci && npm prune --omit=dev

FROM node:22-slim
WORKDIR /app
# The sources stay beside the bundle: bin/bedrock-atlas.js runs the bundle only while it is newer than every source
# it was built from, and the bundle reads its data files (recordings, price tables) from the source tree.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/src-main ./src-main
COPY --from=build /app/src-shared ./src-shared
COPY --from=build /app/bundled ./bundled
COPY --from=build /app/build ./build
# For a container-image Lambda: ENTRYPOINT ["node", "/app/docker/lambda-runtime.mjs"] runs one cycle per invocation.
COPY docker/lambda-runtime.mjs ./docker/lambda-runtime.mjs
COPY --from=build /app/out/cli ./out/cli
RUN ln -s /app/bin/bedrock-atlas.js /usr/local/bin/bedrock-atlas \
  && mkdir -p /data && chown node:node /data
# Everything the monitor writes goes under /data: settings and cache (XDG), history, spool, and Node's and DuckDB's
# temporary files (TMPDIR). On Lambda, set these to /tmp (the only writable path there).
ENV NODE_ENV=production HOME=/data TMPDIR=/data XDG_CONFIG_HOME=/data/config XDG_CACHE_HOME=/data/cache XDG_DATA_HOME=/data \
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
USER node
VOLUME ["/data"]
ENTRYPOINT ["bedrock-atlas", "monitor"]
CMD ["--config", "/config/monitor.json"]
