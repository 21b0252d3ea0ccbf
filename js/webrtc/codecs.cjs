'use strict';
// wasmrtc.codecs (issue 13): codecs written by the page or the process, the
// same API in a page (the polyfill) and in Node:
//
//   await wasmrtc.codecs.register({ kind, mimeType, clockRate, channels, sdpFmtpLine, module })
//
// `module` is the URL (page, relative to the document) or path (Node,
// relative to the working directory) of an ES module that exports
// createEncoder(codec) and createDecoder(codec); it is loaded inside the
// engine worker, which runs them (wasm/worker/user-codecs.cjs documents
// the frames they take and give). A registered codec appears in
// RTCRtpSender/RTCRtpReceiver.getCapabilities() of this page or process,
// can be put first with setCodecPreferences, and is negotiated with any
// peer that offers the same mimeType (encoding name, clock rate and
// channels); connections made after register() offer it. Its frames go
// over RTP in the generic payload format (src/rtp/generic_payload.h).
//
// register() rejects when the module cannot be loaded or lacks the two
// functions (naming the codec), with SyntaxError for a name the engine
// refuses, InvalidModificationError for a codec that is already there.
// What a codec does wrong later (an encoder that throws, a decoder that
// returns garbage) fires "error" on wasmrtc.codecs, a CodecErrorEvent
// naming the codec; the connection and its data channels carry on.
const { EngineClient } = require('./engine-client.cjs');
const { addCapability } = require('./rtp.cjs');
const { resolveModule } = require('./engine-spawn.cjs');

class CodecErrorEvent extends Event {
  #error;
  #mimeType;

  constructor(type, init = {}) {
    super(type, init);
    this.#error = init.error ?? null;
    this.#mimeType = init.mimeType ?? '';
  }

  /** An Error (name OperationError) whose message names the codec. */
  get error() { return this.#error; }

  get mimeType() { return this.#mimeType; }
}

function operationError(message) {
  if (typeof DOMException === 'function') return new DOMException(message, 'OperationError');
  return Object.assign(new Error(message), { name: 'OperationError' });
}

class Codecs extends EventTarget {
  #client;

  constructor(client) {
    super();
    this.#client = client;
    client.onCodecError = (e) => {
      this.dispatchEvent(new CodecErrorEvent('error', { error: operationError(e.message), mimeType: e.mimeType }));
    };
  }

  /** Resolves to the codec as getCapabilities lists it, with its payloadType. */
  async register(init) {
    if (!init || typeof init !== 'object') throw new TypeError('register() takes { kind, mimeType, clockRate, module, ... }');
    const { kind } = init;
    if (kind !== 'audio' && kind !== 'video') throw new TypeError(`kind must be "audio" or "video", not ${kind}`);
    const mimeType = String(init.mimeType ?? '');
    const slash = mimeType.indexOf('/');
    if (slash < 0 || mimeType.slice(0, slash).toLowerCase() !== kind || slash === mimeType.length - 1) {
      throw new TypeError(`mimeType must be "${kind}/<name>", not "${mimeType}"`);
    }
    const clockRate = Number(init.clockRate);
    if (!Number.isInteger(clockRate) || clockRate <= 0 || clockRate > 0xffffffff) throw new TypeError('clockRate must be a positive integer');
    const channels = init.channels === undefined ? 1 : Number(init.channels);
    if (kind === 'audio' ? channels !== 1 && channels !== 2 : channels !== 1) throw new TypeError('channels must be 1 or 2 (audio), 1 (video)');
    const sdpFmtpLine = init.sdpFmtpLine === undefined ? '' : String(init.sdpFmtpLine);
    if (/[\r\n]/.test(sdpFmtpLine)) throw new TypeError('sdpFmtpLine must be one line');
    if (typeof init.module !== 'string' || init.module === '') throw new TypeError('module must be the URL or path of an ES module');
    const desc = {
      kind, mimeType, clockRate, channels, sdpFmtpLine, module: resolveModule(init.module),
    };
    const { payloadType } = await this.#client.registerCodec(desc);
    const capability = { mimeType, clockRate };
    if (kind === 'audio') capability.channels = channels;
    if (sdpFmtpLine) capability.sdpFmtpLine = sdpFmtpLine;
    addCapability(kind, capability, payloadType);
    return { ...capability, payloadType };
  }
}

let codecs = null;
/** The page's or process's wasmrtc.codecs. */
function sharedCodecs() {
  if (!codecs) codecs = new Codecs(EngineClient.shared());
  return codecs;
}

module.exports = { sharedCodecs, CodecErrorEvent };
