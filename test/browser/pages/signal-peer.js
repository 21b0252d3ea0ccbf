// A peer that signals the way most applications do, over a BroadcastChannel
// between two pages of one origin: each icecandidate is sent the moment it
// fires, the offer or answer only once setLocalDescription has resolved; on
// the other side every message is applied in arrival order, candidates with
// addIceCandidate straight away. window.signalPeer(room, offerer) resolves
// with { rejections, echoed } once a message went over the data channel
// and back.
(function () {
  window.signalPeer = async (room, offerer) => {
    const bus = new BroadcastChannel(room);
    const pc = new RTCPeerConnection();
    const rejections = [];
    let otherDone;
    const done = new Promise((resolve) => { otherDone = resolve; });
    pc.onicecandidate = (e) => bus.postMessage({ candidate: e.candidate ? e.candidate.toJSON() : null });
    bus.onmessage = async ({ data }) => {
      if (data.done) {
        otherDone();
      } else if (data.candidate !== undefined) {
        pc.addIceCandidate(data.candidate).catch((err) => rejections.push(`${err.name}: ${err.message}`));
      } else if (data.description) {
        try {
          await pc.setRemoteDescription(data.description);
          if (data.description.type === 'offer') {
            await pc.setLocalDescription();
            bus.postMessage({ description: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
          }
        } catch (err) {
          rejections.push(`${err.name}: ${err.message}`);
        }
      }
    };
    let channel;
    if (offerer) {
      channel = pc.createDataChannel('signal');
      await pc.setLocalDescription();
      bus.postMessage({ description: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
    } else {
      channel = await new Promise((resolve) => { pc.ondatachannel = (e) => resolve(e.channel); });
    }
    await window.opened(channel);
    let echoed;
    if (offerer) {
      const got = window.collect(channel, 1);
      channel.send('from offerer');
      [echoed] = await got;
    } else {
      // The answerer replies once the offerer's message is in. Chromium
      // loses, now and then, a send() made straight from the datachannel
      // listener: it announces the channel open before its network side
      // is, and logs "Send failed INVALID_STATE" (seen between two native
      // Chromium pages as well, about 1 run in 60).
      [echoed] = await window.collect(channel, 1);
      channel.send('from answerer');
    }
    // Both have read the other's message: close.
    bus.postMessage({ done: true });
    await done;
    pc.close();
    bus.close();
    return { rejections, echoed };
  };
}());
