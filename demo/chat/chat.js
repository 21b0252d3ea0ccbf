// The demo page: two tabs in one room connect through the signaling server;
// a data channel carries chat messages and files (16 KiB chunks, flow
// controlled with bufferedAmountLowThreshold), and "Start video" adds the
// camera (or, without one, a canvas animation) to the same connection.
// Plain W3C WebRTC code: the polyfill script tag makes it run on wasmrtc.
//
// Negotiation is "perfect negotiation" (webrtc-pc 10.7): either tab may
// offer whenever negotiationneeded fires (the second tab's data channel
// first, then each tab's video); if both offer at once, the first tab of
// the room (polite) rolls its offer back and answers, the second ignores
// the first's offer.
const $ = (id) => document.getElementById(id);
const room = new URLSearchParams(location.search).get('room') || 'lobby';
const signaling = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/signal?room=${encodeURIComponent(room)}`);
let pc = null;
let chat = null;
let incoming = null; // { name, size, chunks: [], got }
let polite = false; // the first tab of the room
let makingOffer = false;
let ignoreOffer = false;
let sendingVideo = false;
let senderEstimate = null; // the peer's availableOutgoingBitrate, bit/s, sent over the channel
const lastBytes = new Map(); // stats id -> { bytes, timestamp }: bitrates from getStats deltas

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
  pc.onnegotiationneeded = async () => {
    try {
      makingOffer = true;
      await pc.setLocalDescription();
      send({ type: 'description', description: pc.localDescription });
    } catch (err) {
      log(`negotiation: ${err.message}`);
    } finally {
      makingOffer = false;
    }
  };
  pc.ontrack = (e) => showRemote(e.streams[0] || new MediaStream([e.track]));
  if (offerer) useChannel(pc.createDataChannel('chat'));
  setInterval(() => updateStats().catch(() => {}), 1000);
}

async function onDescription(description) {
  // webrtc-pc 10.7: an offer that crosses ours is a collision; the polite
  // tab takes it (setRemoteDescription rolls its own offer back), the
  // impolite one ignores it and waits for the answer to its own.
  const collision = description.type === 'offer' && (makingOffer || pc.signalingState !== 'stable');
  ignoreOffer = !polite && collision;
  if (ignoreOffer) return;
  await pc.setRemoteDescription(description);
  if (description.type === 'offer') {
    await pc.setLocalDescription();
    send({ type: 'description', description: pc.localDescription });
  }
}

function useChannel(channel) {
  chat = channel;
  chat.binaryType = 'arraybuffer';
  chat.onopen = () => {
    log('connected: say hello, send a file, or start video');
    for (const el of [$('text'), $('file'), document.querySelector('#chat button')]) el.disabled = false;
    $('start-video').disabled = !videoSupported() || sendingVideo;
  };
  chat.onclose = () => log('the channel closed');
  chat.onmessage = (e) => {
    if (typeof e.data === 'string') {
      const msg = JSON.parse(e.data);
      if (msg.text !== undefined) log(`peer: ${msg.text}`, 'peer');
      if (msg.file) incoming = { name: msg.file, size: msg.size, chunks: [], got: 0 };
      if (msg.estimate !== undefined) senderEstimate = msg.estimate;
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

// ---- video

// wasmrtc takes the page's own tracks, and gives remote ones the page can
// play, where the browser has mediacapture-transform (Chromium).
function videoSupported() {
  return typeof MediaStreamTrackProcessor === 'function' && typeof MediaStreamTrackGenerator === 'function';
}

// The camera and microphone; the camera alone; or, with no camera (or no
// permission, or a page that is not a secure context), a canvas animation.
async function localMedia() {
  const video = { width: 640, height: 480 };
  const tries = [[{ video, audio: true }, 'camera and microphone'], [{ video }, 'camera (no microphone)']];
  let why = 'no getUserMedia here';
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    for (const [constraints, source] of tries) {
      try {
        return { stream: await navigator.mediaDevices.getUserMedia(constraints), source };
      } catch (err) {
        why = err.name;
      }
    }
  }
  return { stream: animation(), source: `an animation (no camera: ${why})` };
}

// A 640x360 canvas redrawn 30 times a second, captured as a video track.
// (A background tab runs its timers about once a second, the animation with
// them: open the two tabs in two windows.)
function animation() {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 360;
  const ctx = canvas.getContext('2d');
  const start = performance.now();
  const draw = () => {
    const t = (performance.now() - start) / 1000;
    ctx.fillStyle = `hsl(${(t * 30) % 360} 45% 30%)`;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#fff';
    ctx.beginPath();
    ctx.arc(320 + 240 * Math.cos(t * 1.3), 180 + 120 * Math.sin(t * 2.1), 36, 0, 2 * Math.PI);
    ctx.fill();
    ctx.font = '28px system-ui, sans-serif';
    ctx.fillText(`wasmrtc · no camera · ${t.toFixed(1)} s`, 24, 48);
  };
  draw();
  const timer = setInterval(draw, 1000 / 30);
  const stream = canvas.captureStream(30);
  stream.getVideoTracks()[0].addEventListener('ended', () => clearInterval(timer));
  return stream;
}

async function startVideo() {
  $('start-video').disabled = true;
  sendingVideo = true;
  const { stream, source } = await localMedia();
  $('local').srcObject = stream;
  // addTrack fires negotiationneeded: this tab offers the new tracks.
  for (const track of stream.getTracks()) pc.addTrack(track, stream);
  $('video-note').textContent = `sending ${source}`;
  log(`video on: ${source}`);
}

function showRemote(stream) {
  const el = $('remote');
  if (el.srcObject === stream) return;
  el.srcObject = stream;
  // Without a user gesture in this tab the browser may refuse to play
  // sound: play muted until the video is clicked.
  el.play().catch(() => {
    el.muted = true;
    el.play().catch(() => {});
    el.title = 'click to unmute';
    el.onclick = () => { el.muted = false; el.title = ''; };
  });
}

function bitrate(stats, bytes) {
  const last = lastBytes.get(stats.id);
  lastBytes.set(stats.id, { bytes, timestamp: stats.timestamp });
  if (!last || stats.timestamp <= last.timestamp) return null;
  return (8 * (bytes - last.bytes) * 1000) / (stats.timestamp - last.timestamp);
}

function mbps(bps) { return bps === null || bps === undefined ? '–' : `${(bps / 1e6).toFixed(2)} Mbit/s`; }

function size(s) { return s.frameWidth ? `${s.frameWidth}×${s.frameHeight}` : '–×–'; }

// Once a second: this tab's outgoing and incoming video from getStats. The
// sender's bandwidth estimate (availableOutgoingBitrate on its selected
// candidate pair) is only in the sender's own stats, so each sending tab
// also passes it to the other over the data channel.
async function updateStats() {
  if (!pc || pc.connectionState === 'closed') return;
  const report = await pc.getStats();
  let inbound = null;
  let outbound = null;
  let transport = null;
  for (const s of report.values()) {
    // The video stream that carries the most (one each way in this demo).
    if (s.type === 'inbound-rtp' && s.kind === 'video' && (!inbound || s.bytesReceived > inbound.bytesReceived)) inbound = s;
    if (s.type === 'outbound-rtp' && s.kind === 'video' && (!outbound || s.bytesSent > outbound.bytesSent)) outbound = s;
    if (s.type === 'transport') transport = s;
  }
  const pair = transport && report.get(transport.selectedCandidatePairId);
  const estimate = pair ? pair.availableOutgoingBitrate : undefined;
  if (sendingVideo && outbound) {
    $('local-stats').textContent = `you: ${size(outbound)} · ${outbound.framesPerSecond ?? 0} fps · ` +
      `${mbps(bitrate(outbound, outbound.bytesSent))} out · estimate ${mbps(estimate)}`;
    if (chat && chat.readyState === 'open') chat.send(JSON.stringify({ estimate: estimate ?? null }));
  }
  if (inbound && inbound.bytesReceived > 0) {
    $('remote-stats').textContent = `peer: ${size(inbound)} · ${inbound.framesPerSecond ?? 0} fps · ` +
      `${mbps(bitrate(inbound, inbound.bytesReceived))} in · sender's estimate ${mbps(senderEstimate)}`;
  }
}

// ---- signaling

signaling.onmessage = async (e) => {
  const msg = JSON.parse(e.data);
  if (msg.type === 'joined') {
    setStatus(msg.peers ? `room "${room}": connecting…` : `room "${room}": waiting for a second tab`);
    polite = !msg.peers;
    if (msg.peers) startPeer(true);
  } else if (msg.type === 'description') {
    if (!pc) startPeer(false);
    await onDescription(msg.description).catch((err) => log(`description: ${err.message}`));
  } else if (msg.type === 'candidate') {
    if (!pc) startPeer(false);
    await pc.addIceCandidate(msg.candidate).catch((err) => { if (!ignoreOffer) log(`candidate: ${err.message}`); });
  } else if (msg.type === 'left') {
    log('the other tab left');
    $('remote').srcObject = null;
    $('remote-stats').textContent = 'peer: left';
  }
};
signaling.onclose = () => setStatus('signaling closed');

if (!videoSupported()) $('video-note').textContent = 'video needs a browser with MediaStreamTrackProcessor (Chromium)';
$('start-video').onclick = () => startVideo().catch((err) => log(`video: ${err.message}`));

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
