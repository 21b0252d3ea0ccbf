'use strict';
// RTCDTMFSender and RTCDTMFToneChangeEvent (webrtc-pc section 7). The
// playout task runs here, on the page's timers, as the spec words it: each
// tone goes to the engine, which sends it as RFC 4733 telephone-events on
// the sender's RTP stream (src/pc/dtmf.cc); ',' is a 2 s pause that sends
// nothing. RTCDtmfSink (nonstandard) hands out the tones a receiver got.
const {
  defineEventHandlers, domException, queueTask, idl,
} = require('./dom.cjs');

const CREATE = Symbol('wasmrtc.createDtmf');
const VALID = /^[0-9A-D#*,]*$/;
const COMMA_MS = 2000;

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const notSending = (direction) => direction === 'recvonly' || direction === 'inactive';

class RTCDTMFToneChangeEvent extends Event {
  #tone;

  constructor(type, eventInitDict = {}) {
    if (arguments.length === 0) throw new TypeError("Failed to construct 'RTCDTMFToneChangeEvent': 1 argument required.");
    super(type, eventInitDict);
    this.#tone = eventInitDict?.tone === undefined ? '' : String(eventInitDict.tone);
  }

  get tone() { return this.#tone; }
}

class RTCDTMFSender extends EventTarget {
  #link; // { transceiver(): RTCRtpTransceiver | null, play(tone, ms), canSend(): boolean }
  #toneBuffer = '';
  #duration = 100;
  #interToneGap = 70;
  #scheduled = false;
  #timer = null;

  constructor(token, link) {
    if (token !== CREATE) throw new TypeError('Illegal constructor');
    super();
    this.#link = link;
  }

  get toneBuffer() { return this.#toneBuffer; }

  // 7.2 canInsertDTMF: "determine if DTMF can be sent".
  get canInsertDTMF() { return this.#link.canSend(); }

  // 7.2 insertDTMF(tones, duration, interToneGap).
  insertDTMF(tones, duration = 100, interToneGap = 70) {
    if (arguments.length === 0) throw new TypeError("Failed to execute 'insertDTMF' on 'RTCDTMFSender': 1 argument required.");
    const text = String(tones);
    const d = idl.wrapUnsignedLong(duration);
    const gap = idl.wrapUnsignedLong(interToneGap);
    const t = this.#link.transceiver();
    // Steps 3-4.
    if (!t || t.stopping) throw domException('The transceiver is stopped', 'InvalidStateError');
    if (notSending(t.currentDirection)) throw domException(`The transceiver does not send (currentDirection ${t.currentDirection})`, 'InvalidStateError');
    // Step 6: a-d are A-D; anything else but 0-9, A-D, #, * and ',' is unrecognized.
    const upper = text.replace(/[a-d]/g, (c) => c.toUpperCase());
    if (!VALID.test(upper)) throw domException(`Invalid DTMF tones: ${JSON.stringify(text)}`, 'InvalidCharacterError');
    // Steps 7-9.
    this.#toneBuffer = upper;
    this.#duration = clamp(d, 40, 6000);
    this.#interToneGap = clamp(gap, 30, 6000);
    // Steps 10-11.
    if (this.#toneBuffer === '' || this.#scheduled) return;
    this.#schedule(0);
  }

  #schedule(ms) {
    this.#scheduled = true;
    const run = () => {
      this.#timer = null;
      this.#playout();
    };
    if (ms === 0) {
      queueTask(run);
      return;
    }
    this.#timer = setTimeout(run, ms);
    // A tone in progress does not by itself keep a Node process alive.
    if (this.#timer && typeof this.#timer.unref === 'function') this.#timer.unref();
  }

  // The Playout task.
  #playout() {
    this.#scheduled = false;
    const t = this.#link.transceiver();
    if (!t || t.stopping) return;
    if (notSending(t.currentDirection)) return;
    if (this.#toneBuffer === '') {
      this.dispatchEvent(new RTCDTMFToneChangeEvent('tonechange', { tone: '' }));
      return;
    }
    const tone = this.#toneBuffer[0];
    this.#toneBuffer = this.#toneBuffer.slice(1);
    if (tone === ',') {
      this.#schedule(COMMA_MS);
    } else {
      this.#link.play(tone, this.#duration);
      this.#schedule(this.#duration + this.#interToneGap);
    }
    this.dispatchEvent(new RTCDTMFToneChangeEvent('tonechange', { tone }));
  }
}
defineEventHandlers(RTCDTMFSender.prototype, ['tonechange']);

function createDtmfSender(link) {
  return new RTCDTMFSender(CREATE, link);
}

module.exports = {
  RTCDTMFSender, RTCDTMFToneChangeEvent, createDtmfSender,
};
