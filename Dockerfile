# syntax=docker/dockerfile:1
# Tributary: self-hosted AWS Lambda event source mappings.
#
#   docker build -t tributary .
#   docker run --rm -p 127.0.0.1:9400:9400 -v "$PWD/config:/config:ro" -e STREAM_NAME=orders tributary
#
# The image runs `tributary run -c /config/pipelines.yaml`: mount a folder holding the pipelines file (and the
# handler modules it names, relative to it) at /config. Set `server.host: 0.0.0.0` in that file so the published
# port (and Kubernetes probes) reach the server; the default 127.0.0.1 is only reachable inside the container.
# File checkpoints need a writable folder: the image has /data for that (`checkpoints: { type: file, path: /data }`
# with a volume there); several replicas use a DynamoDB lease table instead (deploy/kubernetes/).

ARG NODE_IMAGE=node:24-slim

# ---- build: compile TypeScript, then drop the dev dependencies -------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY connectors ./connectors
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime ---------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    TRIBUTARY_HEALTHCHECK_URL=http://127.0.0.1:9400/healthz
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# uid/gid 1000 is the `node` user of the official image; numeric so Kubernetes can verify runAsNonRoot.
RUN mkdir -p /config /data && chown 1000:1000 /data
USER 1000:1000
EXPOSE 9400
# slim has no curl: ask node itself. Change TRIBUTARY_HEALTHCHECK_URL if the pipelines file moves the server.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.TRIBUTARY_HEALTHCHECK_URL,{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node as PID 1 is fine here: the CLI handles SIGTERM / SIGINT itself (drain, checkpoint, exit 0).
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["run", "-c", "/config/pipelines.yaml"]
