// Page-side helpers for test/browser/conformance.test.cjs: the checks there
// run the same in a native page and in a polyfilled one and call these
// through window.conformance.
(function () {
  /** An exception as plain data a check can return (and compare). */
  function errorInfo(e) {
    return { name: e.name, isDOMException: e instanceof DOMException, isTypeError: e instanceof TypeError };
  }

  /**
   * Connects a and b in this page: offer from a, answer from b, each side's
   * description sent once gathering is complete (no trickle), `mangle(sdp)`
   * applied to both. Resolves after a has the answer.
   */
  async function connectPair(a, b, { mangle = (sdp) => sdp } = {}) {
    await a.setLocalDescription();
    const offer = await window.gathered(a);
    await b.setRemoteDescription({ type: 'offer', sdp: mangle(offer.sdp) });
    await b.setLocalDescription();
    const answer = await window.gathered(b);
    await a.setRemoteDescription({ type: 'answer', sdp: mangle(answer.sdp) });
  }

  /** [kind, direction] of each transceiver of pc. */
  const directions = (pc) => pc.getTransceivers().map((t) => [t.receiver.track.kind, t.direction]);

  window.conformance = { errorInfo, connectPair, directions };
}());
