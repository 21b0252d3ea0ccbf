'use strict';
// RTCSessionDescription (webrtc-pc section 4.8.1).
const { idl } = require('./dom.cjs');

const SDP_TYPES = ['offer', 'pranswer', 'answer', 'rollback'];

class RTCSessionDescription {
  #type;
  #sdp;

  constructor(descriptionInitDict) {
    const init = idl.dictionary(descriptionInitDict, 'RTCSessionDescriptionInit');
    if (init.type === undefined) {
      throw new TypeError("Failed to construct 'RTCSessionDescription': required member type is undefined.");
    }
    this.#type = idl.enumValue(init.type, SDP_TYPES, 'RTCSdpType');
    this.#sdp = init.sdp === undefined ? '' : String(init.sdp);
  }

  get type() { return this.#type; }
  get sdp() { return this.#sdp; }

  toJSON() {
    return { type: this.#type, sdp: this.#sdp };
  }
}


module.exports = { RTCSessionDescription, SDP_TYPES };
