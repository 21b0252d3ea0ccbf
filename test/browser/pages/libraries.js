// Libraries built on RTCPeerConnection, driven as their own documentation
// shows, for test/browser/libraries.test.cjs. The page loads the library's
// browser build (SimplePeer, Peer globals) after peer.js has settled which
// RTCPeerConnection it uses. Each helper resolves with what it received and
// the errors the library reported.
(function () {
  const decode = (bytes) => new TextDecoder().decode(bytes);

  /**
   * A BroadcastChannel for signals; done() resolves once both pages called
   * it (each has read what the other sent), whichever came first.
   */
  function signalBus(room, onSignal) {
    const bus = new BroadcastChannel(room);
    let otherDone;
    const other = new Promise((resolve) => { otherDone = resolve; });
    bus.onmessage = ({ data }) => { if (data.done) otherDone(); else onSignal(data); };
    return {
      send: (data) => bus.postMessage(data),
      done: async () => {
        bus.postMessage({ done: true });
        await other;
        bus.close();
      },
    };
  }

  /**
   * simple-peer between two pages, signalling over a BroadcastChannel: every
   * signal goes out the moment simple-peer emits it and goes into signal()
   * as it arrives. Start the other side (initiator false) first. Text and
   * bytes both ways, then the initiator writes `bulk` bytes through the
   * stream interface (simple-peer's flow control waits on bufferedamountlow).
   */
  window.simplePeerSide = async (room, initiator, config, bulk) => {
    // Each step on the console: the test shows the last lines if it times out.
    const log = (m) => console.log(`simple-peer ${initiator ? 'initiator' : 'other side'}: ${m}`);
    const bus = signalBus(room, (data) => {
      log(`signal in: ${data.type}`);
      peer.signal(data); // eslint-disable-line no-use-before-define
    });
    const errors = [];
    const peer = new SimplePeer({ initiator, config }); // eslint-disable-line no-undef
    peer.on('signal', (data) => {
      log(`signal out: ${data.type}`);
      bus.send(data);
    });
    peer.on('error', (e) => errors.push(`${e.code}: ${e.message}`));
    // A library that drops a promise (simple-peer does with getStats when
    // getStats.length > 0, taking it for the legacy callback form) leaves
    // only an unhandled rejection: fail with it rather than wait.
    await new Promise((resolve, reject) => {
      peer.once('connect', resolve);
      peer.once('error', reject);
      window.addEventListener('unhandledrejection', (e) => reject(e.reason), { once: true });
    });
    log('connected');
    const received = [];
    let bulkBytes = 0;
    let bulkSum = 0;
    const gotAll = new Promise((resolve) => {
      peer.on('data', (d) => {
        if (received.length < 2) {
          received.push(received.length === 0 ? decode(d) : Array.from(d));
        } else {
          bulkBytes += d.length;
          for (const b of d) bulkSum = (bulkSum + b) % 65521;
        }
        if (received.length === 2 && (initiator || bulkBytes >= bulk)) resolve();
      });
    });
    peer.send(initiator ? 'simple-peer from the initiator' : 'simple-peer from the other side');
    peer.send(new Uint8Array([initiator ? 1 : 2, 0, 255]));
    let sentSum = 0;
    if (initiator) {
      // After the two small messages: the other side counts all that follows as bulk.
      const chunk = 16384;
      for (let off = 0; off < bulk; off += chunk) {
        const part = new Uint8Array(Math.min(chunk, bulk - off));
        for (let i = 0; i < part.length; i++) part[i] = ((off + i) * 31 + 7) & 0xff;
        for (const b of part) sentSum = (sentSum + b) % 65521;
        peer.write(part);
      }
    }
    await gotAll;
    log(`received ${received.length} messages and ${bulkBytes} bytes`);
    await bus.done();
    peer.destroy();
    return {
      received, bulkBytes, bulkSum, sentSum, errors,
    };
  };

  /**
   * PeerJS with the test's PeerServer (`server`: host, port, path; never its
   * cloud default). The listening side (connectTo null) waits for a
   * connection (window.peerjsOpened resolves once the server has it); the
   * other connects to `connectTo`. Text, bytes and an object
   * both ways, and `big` bytes from the connecting side (PeerJS cuts
   * binary-serialized messages into chunks in Chromium); the listening side
   * answers 'all received' after its four, and the connecting side closes.
   */
  window.peerjsSide = async (server, id, connectTo, config, big) => {
    let markOpen;
    window.peerjsOpened = new Promise((resolve) => { markOpen = resolve; });
    const errors = [];
    const peer = new Peer(id, { // eslint-disable-line no-undef
      host: server.host, port: server.port, path: server.path, secure: false, config, debug: 3, // each step on the console
    });
    peer.on('error', (e) => errors.push(`${e.type}: ${e.message}`));
    await new Promise((resolve, reject) => {
      peer.once('open', resolve);
      peer.once('error', reject);
    });
    markOpen();
    const conn = connectTo
      ? peer.connect(connectTo, { reliable: true })
      : await new Promise((resolve) => { peer.once('connection', resolve); });
    conn.on('error', (e) => errors.push(`connection ${e.type}: ${e.message}`));
    await new Promise((resolve) => { if (conn.open) resolve(); else conn.once('open', resolve); });
    const received = [];
    let gotFirst;
    const first = new Promise((resolve) => { gotFirst = resolve; });
    const gotAll = new Promise((resolve) => {
      conn.on('data', (d) => {
        gotFirst();
        if (d instanceof ArrayBuffer || ArrayBuffer.isView(d)) {
          // Binary arrives as an ArrayBuffer, or a Uint8Array when reassembled from chunks.
          const bytes = d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
          received.push(bytes.length > 16 ? { bytes: bytes.length, last: bytes[bytes.length - 1] } : Array.from(bytes));
        } else {
          received.push(d);
        }
        if (received.length === 4) resolve();
      });
    });
    const side = connectTo ? 'connecting' : 'listening';
    // The listening side (its channel came from the peer) sends once data
    // has come in. Chromium loses, now and then, what is sent on such a
    // channel as it opens: it announces the channel open before its network
    // side is ("Send failed INVALID_STATE" in its log), between two native
    // pages as well.
    if (!connectTo) await first;
    conn.send(`PeerJS from the ${side} side`);
    conn.send(new Uint8Array([connectTo ? 1 : 2, 0, 255]).buffer);
    conn.send({ side, n: [1, 2, 3] });
    if (connectTo) {
      const bytes = new Uint8Array(big);
      bytes[big - 1] = 42;
      conn.send(bytes.buffer);
    }
    await gotAll;
    // The listening side has all four; its last message tells the
    // connecting side, which then closes, and the listening side sees close.
    const closed = new Promise((resolve) => { conn.once('close', resolve); });
    if (connectTo) conn.close();
    else conn.send('all received');
    await closed;
    peer.destroy();
    return { received, errors };
  };
}());
