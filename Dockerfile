# syntax=docker/dockerfile:1
# Tributary: self-hosted AWS Lambda event source mappings.
#
#   docker build -t tributary .
#   docker run --rm -p 127.0.0.1:9400:9400 tributary demo                      # the demo, status page on :9400
#   docker run --rm -p 127.0.0.1:9400:9400 -v "$PWD/config:/config:ro" \
#     -e QUEUE_URL=… tributary run -c /config/sqs.yaml                          # one of the example files
#   docker run --rm -v "$PWD/my-pipelines:/config:ro" -v tributary-data:/data tributary   # /config/pipelines.yaml
#
# The default command is `tributary run -c /config/pipelines.yaml`: mount a folder holding the pipelines file and
# the handler modules it names (relative to it) at /config, or name another file as above. Handler dependencies:
# `npm install` them into that folder (/config/node_modules is found from /config/handlers/…), or build an image
# FROM this one that copies them in (docs/operations.md, "Container image").
#
# TRIBUTARY_SERVER_HOST=0.0.0.0: inside the container's own network namespace the server must listen on every
# interface for published ports and Kubernetes probes to reach it (127.0.0.1 there is the container's loopback),
# whatever `server.host` the file says. File checkpoints need a writable folder: /data, owned by the runtime user
# (`checkpoints: { type: file, path: /data/checkpoints }` with a volume there); several replicas use a DynamoDB
# lease table instead (deploy/kubernetes/).
#
# Built in CI without a Docker daemon (buildah, .ci/image/build.sh) from a local stand-in for node:24-slim
# (.ci/image/node-base.sh); any Node ≥ 22 Debian-based image with npm and a uid-1000 user works as NODE_IMAGE.

ARG NODE_IMAGE=node:24-slim

# ---- build: compile TypeScript, then keep production dependencies + the demo's emulator ---------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY connectors ./connectors
# kinesalite (pure JS, an optional peer for `tributary demo`) stays in the image so `docker run … demo` works: it
# becomes a production dependency of the image's package.json before the prune. Its optional native leveldown
# (disk persistence the demo never uses) is pruned with --omit=optional. Versions stay those of the lockfile.
RUN npm run build \
 && npm pkg set "dependencies.kinesalite=$(node -p "require('./package.json').devDependencies.kinesalite")" \
 && npm pkg delete devDependencies.kinesalite \
 && npm prune --omit=dev --omit=optional --no-audit --no-fund

# ---- runtime ---------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE}
LABEL org.opencontainers.image.title="tributary" \
      org.opencontainers.image.description="Self-hosted AWS Lambda event source mappings: Kafka/MSK, Kinesis, SQS and DynamoDB Streams" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    TRIBUTARY_SERVER_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# uid/gid 1000 is the `node` user of the official image; numeric so Kubernetes can verify runAsNonRoot.
RUN mkdir -p /config /data && chown 1000:1000 /data
USER 1000:1000
# The working directory is the writable one: `tributary demo` keeps its files in ./.tributary-demo.
WORKDIR /data
EXPOSE 9400
# slim has no curl: ask node itself. The URL follows TRIBUTARY_SERVER_PORT; TRIBUTARY_HEALTHCHECK_URL overrides it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const e=process.env;fetch(e.TRIBUTARY_HEALTHCHECK_URL||`http://127.0.0.1:${e.TRIBUTARY_SERVER_PORT||9400}/healthz`,{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node as PID 1 is fine here: the CLI handles SIGTERM / SIGINT itself (drain, checkpoint, exit 0).
ENTRYPOINT ["node", "/app/dist/src/cli/main.js"]
CMD ["run", "-c", "/config/pipelines.yaml"]
