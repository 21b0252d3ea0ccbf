'use strict';
// Which MediaStream and MediaStreamTrack the RTP API takes and gives. In
// Node: ours (media-stream.cjs). On a browser page the polyfill installs the
// page's own classes (js/browser/media-bridge.cjs), so getUserMedia and
// canvas tracks go into addTrack and remote tracks play in an <audio> or
// <video> element.
const ours = require('./media-stream.cjs');

function ourRemoteTrack(kind, id) {
  const source = new ours.TrackSource(kind, kind === 'audio' ? { sampleRate: 48000, channelCount: 2, sampleSize: 16 } : {});
  // webrtc-pc 5.3: a receiver's track starts muted; RTP unmutes it.
  const track = ours.createTrack(kind, source, { id, label: `remote ${kind}`, muted: true });
  return {
    track,
    emit: (frame) => source.emit(frame),
    setMuted: (muted) => track[ours.TRACK.setMuted](muted),
    end: (silent) => track[ours.TRACK.end](silent),
  };
}

const platform = {
  isTrack: (t) => t instanceof ours.MediaStreamTrack,
  isStream: (s) => s instanceof ours.MediaStream,
  /**
   * Calls sink(frame) with each frame of `track` (audio: 10 ms of PCM;
   * video: I420 { width, height, data, rotation, video: true }); returns unsubscribe.
   */
  subscribe: (track, sink) => track[ours.TRACK.subscribe](sink),
  /** A receiver's track: { track, emit(frame), setMuted(bool), end(silent) }. */
  remoteTrack: ourRemoteTrack,
  /** A remote MediaStream with the msid's id. */
  remoteStream: (id) => ours.streamWithId(id),
  streamHas: (stream, track) => stream.getTracks().includes(track),
  addToStream: (stream, track) => stream[ours.STREAM.add](track),
  removeFromStream: (stream, track) => stream[ours.STREAM.remove](track),
};

/** The polyfill replaces some of the above (only before any connection). */
function usePlatform(overrides) {
  Object.assign(platform, overrides);
}

module.exports = { platform, usePlatform, ourRemoteTrack };
