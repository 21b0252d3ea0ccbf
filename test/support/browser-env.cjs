// What every browser test file starts: coturn (relaying on the test
// namespace's veth address, since Chromium ignores loopback candidates),
// wasmrtc-gateway in front of it, a static server for the repository, and
// Debian's Chromium. Registers beforeAll/afterAll; fields fill in beforeAll.
//
//   const env = useBrowserEnv({ headers: (env) => ({ ... }) });
//   test(..., async () => { const page = await env.browser.context.newPage(); ... env.gateway.url ... });
const path = require('path');
const { startStaticServer } = require('./static-server.cjs');
const { launchChromium } = require('./chromium.cjs');
const { startCoturn } = require('./coturn.cjs');
const { startGateway } = require('./gateway.cjs');

const ROOT = path.join(__dirname, '..', '..');

function useBrowserEnv({ headers = () => ({}), chromiumArgs = [] } = {}) {
  const env = {};
  beforeAll(async () => {
    env.turn = await startCoturn({ username: 'alice', password: 'wonderland', realm: 'wasmrtc.test', relayIp: '10.77.0.2' });
    env.gateway = await startGateway({ turn: [`127.0.0.1:${env.turn.port}`] });
    env.server = await startStaticServer(ROOT, headers(env));
    env.browser = await launchChromium(chromiumArgs);
    env.iceServers = JSON.stringify([{
      urls: `turn:127.0.0.1:${env.turn.port}?transport=tcp`, username: env.turn.username, credential: env.turn.password,
    }]);
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
    await env.gateway?.stop();
    await env.turn?.stop();
  });
  return env;
}

module.exports = { useBrowserEnv };
