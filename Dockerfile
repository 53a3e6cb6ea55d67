# syntax=docker/dockerfile:1
#
# Hourglass hip FAQ bot: a production image.
#
#   docker build -t hourglass-faq-bot .
#   docker run -d --env-file .env --stop-timeout 30 -v hourglass-data:/app/data hourglass-faq-bot
#
# Stages: `build` installs every dependency, bundles src/ into dist/, trains the matcher and
# then drops the dev dependencies; the final stage copies only what the bot runs from.
# deploy/README.md has the whole guide (systemd, webhook behind HTTPS, several instances).

# ---------------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS build

# better-sqlite3 is a native module. npm ci normally fetches its prebuilt binary for Node 20;
# if that fails it compiles it, which needs python3, make and g++, and Node's headers (the
# official image has them under /usr/local/include/node; npm_config_nodedir points node-gyp
# there instead of downloading them). Only this stage has the compilers.
# Versions are not pinned (hadolint DL3008, dockerlinter ER0012): they are the Debian
# release's current ones (a pinned one disappears from the mirrors at the next point
# release), and only serve a build stage. This is the only apt-get install in the file.
# hadolint global ignore=DL3008
# linter ignore=ER0012
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local

WORKDIR /app

# Dependencies first: this layer is rebuilt only when the lock file changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# The trained matcher is built into the image (decision). Training is deterministic (fixed
# seed) and keyed by the knowledge base's phrasings, so the model trained here is exactly the
# one the bot would train at its first start: baking it in makes every container start in
# under a second instead of about two minutes, and every instance of one image uses the same
# model. The cache folder holds the sentence vectors too, so a clinic that mounts its own
# knowledge/ over the baked one retrains in well under a minute (only changed texts are
# embedded again), not two. The folder stays writable by the runtime user for that (below).
COPY knowledge ./knowledge
ENV CACHE_DIR=/app/cache
RUN node dist/cli/train.js

# Production dependencies only from here on (keeps the compiled better-sqlite3 binary).
RUN npm prune --omit=dev --no-audit --no-fund

# ---------------------------------------------------------------------------------------------
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    CACHE_DIR=/app/cache \
    KNOWLEDGE_DIR=knowledge \
    HOST=0.0.0.0 \
    PORT=8080

WORKDIR /app

# Program files belong to root: the bot (user `node`, uid 1000, from the base image) cannot
# change its own code or dependencies. package.json is needed at run time ("type": "module").
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/knowledge ./knowledge

# Writable by the bot, and only these two:
# - /app/cache: the trained matcher, sentence vectors and knowledge-base snapshots. Not a
#   volume: a new image must bring its own cache (a volume would keep an old one and hide it).
#   The bot writes here when knowledge/ differs from the baked one, and on its first start
#   (a snapshot of the validated knowledge base).
# - /app/data: the SQLite database (data/bot.sqlite) when DATABASE_URL is not set. A volume,
#   so that it outlives the container; mount a named volume or a host folder there.
COPY --from=build --chown=node:node /app/cache ./cache
RUN install -d -o node -g node -m 0750 /app/data
VOLUME ["/app/data"]

USER node

# The webhook server (BOT_MODE=webhook). In polling mode nothing listens unless METRICS_PORT
# is set.
EXPOSE 8080

# GET /healthz: on PORT in webhook mode, on METRICS_PORT in polling mode. A polling bot
# without METRICS_PORT has no HTTP server, so there is nothing to probe and the check passes.
# node, not curl: the slim image has no curl. The start period covers a retraining when a
# mounted knowledge/ differs from the baked one.
HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 \
    CMD ["node", "-e", "const e=process.env,p=e.BOT_MODE==='webhook'?(e.PORT||8080):e.METRICS_PORT;if(!p)process.exit(0);fetch('http://127.0.0.1:'+p+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# node runs directly (not under npm or a shell), so SIGTERM reaches the bot: it stops taking
# updates, finishes those in flight and exits 0 within 15 s. Give it longer than that:
# `docker stop -t 30`, `docker run --stop-timeout 30`, compose's stop_grace_period: 30s
# (Docker's default is 10 s). SIGHUP reloads the knowledge base (docker kill -s HUP).
# --max-old-space-size as `npm start` has it: see README.md ("Memory").
STOPSIGNAL SIGTERM
CMD ["node", "--max-old-space-size=512", "dist/main.js"]
