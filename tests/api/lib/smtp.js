'use strict';
// A real SMTP server for the tests (npm smtp-server), on a loopback port,
// keeping every message it accepts, parsed with mailparser. It can be
// stopped and started again on the same port (the mail server "down").

const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');
const { freePort, sleep } = require('./server');

// The METHOD parameter of a calendar part's Content-Type (RFC 6047).
function partMethod(a) {
  const ct = a.headers && a.headers.get('content-type');
  return ct && ct.params ? ct.params.method : undefined;
}

class MailSink {
  constructor() {
    this.messages = [];
    this.server = null;
    this.port = 0;
    this.refuse = new Set(); // addresses answered 550 (a permanent failure)
  }

  async start(port) {
    this.port = port || this.port || await freePort();
    this.server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (addr, session, cb) => {
        if (this.refuse.has(addr.address)) {
          const e = new Error('no such mailbox here');
          e.responseCode = 550;
          return cb(e);
        }
        return cb();
      },
      onData: (stream, session, cb) => {
        const chunks = [];
        stream.on('data', (c) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          try {
            const m = await simpleParser(raw);
            const cal = (m.attachments || []).filter((a) => /text\/calendar/.test(a.contentType));
            this.messages.push({
              raw,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              to: m.to ? m.to.text : '',
              subject: m.subject || '',
              text: m.text || '',
              messageId: m.messageId,
              calendar: cal.map((a) => ({ contentType: a.contentType, text: a.content.toString('utf8'), method: partMethod(a) })),
              headers: m.headers,
            });
          } catch (e) {
            this.messages.push({ raw, error: String(e) });
          }
          cb();
        });
      },
    });
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', resolve);
    });
    return this;
  }

  async stop() {
    if (!this.server) return;
    const s = this.server;
    this.server = null;
    await new Promise((resolve) => s.close(resolve));
  }

  url() { return `smtp://127.0.0.1:${this.port}`; }

  to(addr) { return this.messages.filter((m) => m.envelopeTo.includes(addr)); }

  // Waits until pred(messages) holds; throws after timeoutMs.
  async waitFor(pred, timeoutMs = 15000, what = 'messages') {
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (pred(this.messages)) return this.messages;
      if (Date.now() > end) {
        throw new Error(`timed out waiting for ${what}; have ${this.messages.length}: ` +
          JSON.stringify(this.messages.map((m) => [m.envelopeTo, m.subject])));
      }
      await sleep(100);
    }
  }
}

// The serve flags for a sink: one pass a second, retries after a second.
function mailArgs(sink, extra = []) {
  return ['--smtp-url', sink.url(), '--smtp-from', 'ibbis@example.org',
    '--public-url', 'https://ibbis.example.org', '--mail-interval', '1', '--mail-retry', '1']
    .concat(extra);
}

// One `ibbis mail send` pass against the sink, asynchronous: the SMTP
// server runs in this process and must keep answering meanwhile. Resolves
// to the output; rejects when the exit status is not 0.
function mailSend(db, sink, extra = []) {
  const { spawn } = require('node:child_process');
  const path = require('node:path');
  const bin = process.env.IBBIS_BIN || path.resolve(__dirname, '..', '..', '..', 'build', 'ibbis');
  return new Promise((resolve, reject) => {
    const p = spawn(bin, ['mail', 'send', '--db', db, '--smtp-url', sink.url(), '--smtp-from',
      'ibbis@example.org', '--public-url', 'https://ibbis.example.org'].concat(extra),
    { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`mail send ${code}: ${out}`))));
  });
}

module.exports = { MailSink, mailArgs, mailSend };
