// The demo page: two tabs in one room connect through the signaling server;
// a data channel carries chat messages and files (16 KiB chunks, flow
// controlled with bufferedAmountLowThreshold). Plain W3C WebRTC code: the
// polyfill script tag makes it run on wasmrtc.
const $ = (id) => document.getElementById(id);
const room = new URLSearchParams(location.search).get('room') || 'lobby';
const signaling = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/signal?room=${encodeURIComponent(room)}`);
let pc = null;
let chat = null;
let incoming = null; // { name, size, chunks: [], got }

function log(text, who = 'info') {
  const line = document.createElement('div');
  line.className = who;
  line.textContent = text;
  $('log').append(line);
  $('log').scrollTop = $('log').scrollHeight;
}

function setStatus(text) { $('status').textContent = text; }
function send(msg) { signaling.send(JSON.stringify(msg)); }

function startPeer(offerer) {
  pc = new RTCPeerConnection();
  pc.onicecandidate = (e) => { if (e.candidate) send({ type: 'candidate', candidate: e.candidate }); };
  pc.onconnectionstatechange = () => setStatus(`room "${room}": ${pc.connectionState}`);
  pc.ondatachannel = (e) => useChannel(e.channel);
  if (offerer) {
    useChannel(pc.createDataChannel('chat'));
    pc.onnegotiationneeded = async () => {
      await pc.setLocalDescription();
      send({ type: 'description', description: pc.localDescription });
    };
  }
}

function useChannel(channel) {
  chat = channel;
  chat.binaryType = 'arraybuffer';
  chat.onopen = () => {
    log('connected: say hello, or send a file');
    for (const el of [$('text'), $('file'), document.querySelector('#chat button')]) el.disabled = false;
  };
  chat.onclose = () => log('the channel closed');
  chat.onmessage = (e) => {
    if (typeof e.data === 'string') {
      const msg = JSON.parse(e.data);
      if (msg.text !== undefined) log(`peer: ${msg.text}`, 'peer');
      if (msg.file) incoming = { name: msg.file, size: msg.size, chunks: [], got: 0 };
      return;
    }
    incoming.chunks.push(e.data);
    incoming.got += e.data.byteLength;
    $('progress').textContent = `receiving ${incoming.name}: ${Math.round((100 * incoming.got) / incoming.size)}%`;
    if (incoming.got >= incoming.size) {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob(incoming.chunks));
      link.download = incoming.name;
      link.textContent = `${incoming.name} (${incoming.size} bytes)`;
      const line = document.createElement('div');
      line.className = 'peer';
      line.append('peer sent ', link);
      $('log').append(line);
      $('progress').textContent = '';
      incoming = null;
    }
  };
}

signaling.onmessage = async (e) => {
  const msg = JSON.parse(e.data);
  if (msg.type === 'joined') {
    setStatus(msg.peers ? `room "${room}": connecting…` : `room "${room}": waiting for a second tab`);
    if (msg.peers) startPeer(true);
  } else if (msg.type === 'description') {
    if (!pc) startPeer(false);
    await pc.setRemoteDescription(msg.description);
    if (msg.description.type === 'offer') {
      await pc.setLocalDescription();
      send({ type: 'description', description: pc.localDescription });
    }
  } else if (msg.type === 'candidate') {
    if (!pc) startPeer(false);
    await pc.addIceCandidate(msg.candidate).catch((err) => log(`candidate: ${err.message}`));
  } else if (msg.type === 'left') {
    log('the other tab left');
  }
};
signaling.onclose = () => setStatus('signaling closed');

$('chat').onsubmit = (e) => {
  e.preventDefault();
  const text = $('text').value;
  if (!text || !chat) return;
  chat.send(JSON.stringify({ text }));
  log(`me: ${text}`, 'me');
  $('text').value = '';
};

$('file').onchange = async () => {
  const file = $('file').files[0];
  if (!file || !chat) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  chat.send(JSON.stringify({ file: file.name, size: bytes.length }));
  const CHUNK = 16384;
  chat.bufferedAmountLowThreshold = 256 * 1024;
  let offset = 0;
  await new Promise((resolve) => {
    const pump = () => {
      while (offset < bytes.length && chat.bufferedAmount < 1024 * 1024) {
        chat.send(bytes.subarray(offset, offset + CHUNK));
        offset += CHUNK;
        $('progress').textContent = `sending ${file.name}: ${Math.round((100 * Math.min(offset, bytes.length)) / bytes.length)}%`;
      }
      if (offset >= bytes.length) { chat.onbufferedamountlow = null; resolve(); }
    };
    chat.onbufferedamountlow = pump;
    pump();
  });
  $('progress').textContent = '';
  log(`me: sent ${file.name} (${bytes.length} bytes)`, 'me');
};
