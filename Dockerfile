# The bridge and the local CloudTrail Lake in one small image; the command picks which runs:
#   docker run ... otel-cloudtrail-lake bridge --host 0.0.0.0 --auth-tokens-file /run/secrets/bridge-tokens
#   docker run ... otel-cloudtrail-lake emulator --host 0.0.0.0 --port 4599 --config /etc/otel-cloudtrail-lake/emulator.yaml
# Runs as the unprivileged `node` user; the spool and the emulator's data live on volumes.

FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY src ./src
RUN npm run build && npm pack --ignore-scripts --pack-destination /tmp

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_DIRECTORY=/var/lib/otel-cloudtrail-lake/spool
WORKDIR /opt/otel-cloudtrail-lake
COPY --from=build /tmp/otel-cloudtrail-lake-*.tgz /tmp/
# Optional peer dependencies the image's two commands use: @grpc/grpc-js for the bridge's OTLP/gRPC port,
# DuckDB and node-sql-parser for the emulator's Lake SQL queries.
RUN npm install --omit=dev --no-audit --no-fund /tmp/otel-cloudtrail-lake-*.tgz \
      @opentelemetry/api@1.9 @opentelemetry/api-logs@0.223 @opentelemetry/sdk-logs@0.223 @opentelemetry/core@2 \
      @opentelemetry/resources@2 @grpc/grpc-js@1 @duckdb/node-api@1 node-sql-parser@5 \
    && rm /tmp/otel-cloudtrail-lake-*.tgz \
    && mkdir -p /var/lib/otel-cloudtrail-lake/spool /var/lib/otel-cloudtrail-lake/emulator \
    && chown -R node:node /var/lib/otel-cloudtrail-lake \
    && chmod -R 0700 /var/lib/otel-cloudtrail-lake
USER node
VOLUME ["/var/lib/otel-cloudtrail-lake"]
# 4318: the bridge's OTLP/HTTP port; 4317: its OTLP/gRPC port; 4599: the emulator in the compose example.
EXPOSE 4318 4317 4599
ENTRYPOINT ["node", "/opt/otel-cloudtrail-lake/node_modules/otel-cloudtrail-lake/dist/cli/main.js"]
CMD ["bridge", "--host", "0.0.0.0"]
