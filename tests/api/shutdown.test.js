'use strict';
// Graceful stop: on SIGTERM or SIGINT the server stops accepting, finishes
// the requests in flight and exits 0. Uses the test-only endpoint
// GET /__test/slow?ms=N, enabled by IBBIS_TEST_SLOW=1.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, request, sleep } = require('./lib/server.js');

async function stopDuringSlowRequest(signal) {
  const srv = await startServer({ env: { IBBIS_TEST_SLOW: '1' } });
  try {
    const ms = 1500;
    const t0 = Date.now();
    const slow = srv.request('GET', `/__test/slow?ms=${ms}`, {
      headers: { Accept: 'application/json' }, timeout: 20000,
    });
    await sleep(300);
    srv.proc.kill(signal);
    // After the signal, new connections are no longer served.
    await sleep(300);
    let refused = false;
    try {
      const late = await request(srv.url, 'GET', '/healthz', { timeout: 3000 });
      refused = false;
      assert.fail(`a request after ${signal} was answered with ${late.status}`);
    } catch (e) {
      if (e && e.code === 'ERR_ASSERTION') throw e;
      refused = true;
    }
    assert.ok(refused);
    const r = await slow;
    assert.equal(r.status, 200);
    assert.deepEqual(r.parseJson(), { slept: ms });
    assert.ok(Date.now() - t0 >= ms, 'the request really waited');
    const exit = await srv.waitExit(15000);
    assert.ok(!exit.timedOut, `still running 15 s after ${signal}`);
    assert.equal(exit.signal, null, `killed by ${exit.signal}:\n${srv.stderr().slice(-2000)}`);
    assert.equal(exit.code, 0, srv.stderr().slice(-2000));
  } finally {
    srv.cleanup();
  }
}

describe('graceful stop', () => {
  it('SIGTERM during a slow request: the request completes with 200 and the process exits 0', async () => {
    await stopDuringSlowRequest('SIGTERM');
  });

  it('SIGINT does the same', async () => {
    await stopDuringSlowRequest('SIGINT');
  });

  it('the slow endpoint does not exist without IBBIS_TEST_SLOW=1', async () => {
    const srv = await startServer();
    try {
      const r = await srv.request('GET', '/__test/slow?ms=10', { headers: { Accept: 'application/json' } });
      assert.equal(r.status, 404);
      const exit = await srv.stop('SIGTERM');
      assert.equal(exit.code, 0, srv.stderr().slice(-2000));
    } finally {
      srv.cleanup();
    }
  });
});
