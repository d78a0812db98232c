# Picket's container image. NOTE: this file was written on a machine without a container
# runtime and has not been built. It runs only the commands that the README and the test suite
# run (npm ci, npm run build, node bin/picket.js serve).
FROM node:20-slim

WORKDIR /opt/picket

# During npm ci, better-sqlite3 downloads a prebuilt binary for the platform, and
# @node-rs/argon2 installs its platform package from the registry. Where no prebuilt binary
# fits, better-sqlite3 compiles from source, which needs python3, make and g++ (not in the
# slim image).
# npm ci runs the `prepare` script, which builds, so the sources go in before it.
COPY . .
RUN npm ci && npm run build

ENV HOST=0.0.0.0 \
    PORT=8000 \
    PICKET_DATA_DIR=/var/lib/picket
RUN mkdir -p /var/lib/picket && chown node:node /var/lib/picket
VOLUME ["/var/lib/picket"]

# The `node` user of the base image (uid 1000), not root.
USER node
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/_health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"

CMD ["node", "bin/picket.js", "serve"]
