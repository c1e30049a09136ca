# One image for api, worker, wallet-sim and the migrate/seed steps; docker-compose.yml picks the command.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY test/bench ./test/bench
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# STORAGE_DIR's default; owned by the user the processes run as, so a fresh volume mounted here is too.
RUN mkdir -p /app/var/evidence && chown -R node:node /app/var
USER node
# 3000: the API; 3001: the worker's probes and metrics (WORKER_PROBE_PORT); 4010: the wallet simulator.
EXPOSE 3000 3001 4010
CMD ["node", "dist/apps/api/src/main.js"]
