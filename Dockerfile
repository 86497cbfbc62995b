# Naast: the production image.
#   docker build -t naast .
#   docker run -e DATABASE_URL=... -e REDIS_URL=... -e PSEUDONYM_KEY=... -e ENCRYPTION_KEY=... -p 3000:3000 naast
# or, with PostgreSQL, Redis, web and worker processes: docker compose up -d (compose.yaml, README "Running it for real").
#
# The runtime stage copies one folder, /release, which `npm run build:release` makes (scripts/build-release.ts).
# test/release/production-output.test.ts builds that same folder, reads this file's runtime stage (the one COPY,
# ENV, WORKDIR, CMD and HEALTHCHECK) and runs it against PostgreSQL and Redis, so what is tested is what ships.
# scripts/image-check.ts builds and runs this image for real where a container engine is available.

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund && npm run build:release -- --out /release

FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production PORT=3000 DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /release /app
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# V8 flags: a young generation of 8 MB semi-spaces instead of 16 (about 20 MB less resident memory); the WebAssembly
# compiler tier is chosen in the process (LOW_MEMORY). See bench/README.md, "Memory".
CMD ["node", "--max-semi-space-size=8", "--expose-gc", "dist/main.js"]
