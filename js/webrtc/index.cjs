'use strict';
// The W3C WebRTC interfaces (webrtc-pc), as wasmrtc provides them.
const { RTCPeerConnection } = require('./peer-connection.cjs');
const { RTCDataChannel } = require('./data-channel.cjs');
const { RTCSessionDescription } = require('./session-description.cjs');
const { RTCIceCandidate } = require('./ice-candidate.cjs');
const { RTCCertificate } = require('./certificate.cjs');
const { RTCIceTransport, RTCDtlsTransport, RTCSctpTransport } = require('./transports.cjs');
const {
  RTCPeerConnectionIceEvent, RTCPeerConnectionIceErrorEvent, RTCDataChannelEvent, RTCError, RTCErrorEvent,
} = require('./events.cjs');
const { RTCStatsReport } = require('./stats.cjs');
const {
  RTCRtpSender, RTCRtpReceiver, RTCRtpTransceiver, RTCTrackEvent,
} = require('./rtp.cjs');
const { RTCDTMFSender, RTCDTMFToneChangeEvent } = require('./dtmf.cjs');
const { sharedCodecs } = require('./codecs.cjs');
const { RTCRtpScriptTransform } = require('./encoded-transform.cjs');
const {
  MediaStream, MediaStreamTrack, MediaStreamTrackEvent, MediaStreamEvent,
} = require('./media-stream.cjs');
const {
  RTCAudioSource, RTCAudioSink, RTCVideoSource, RTCVideoSink, RTCDtmfSink, i420ToRgba, rgbaToI420,
} = require('./nonstandard.cjs');

const interfaces = {
  RTCPeerConnection,
  RTCDataChannel,
  RTCSessionDescription,
  RTCIceCandidate,
  RTCCertificate,
  RTCIceTransport,
  RTCDtlsTransport,
  RTCSctpTransport,
  RTCPeerConnectionIceEvent,
  RTCPeerConnectionIceErrorEvent,
  RTCDataChannelEvent,
  RTCError,
  RTCErrorEvent,
  RTCStatsReport,
  RTCRtpSender,
  RTCRtpReceiver,
  RTCRtpTransceiver,
  RTCTrackEvent,
  RTCRtpScriptTransform,
  RTCDTMFSender,
  RTCDTMFToneChangeEvent,
  MediaStream,
  MediaStreamTrack,
  MediaStreamTrackEvent,
  MediaStreamEvent,
};

// WebIDL 3.7 (interface objects), in one place for every interface: the
// prototype's @@toStringTag ("[object RTCDataChannel]"), and the interface
// object's length, the fewest arguments its constructor takes: 0 for one
// that has no constructor (new throws TypeError) or only optional
// arguments. Native Chromium gives the same, except RTCSessionDescription,
// whose argument it makes optional (0) where webrtc-pc requires it (1).
const LENGTH = {
  RTCPeerConnection: 0,
  RTCSessionDescription: 1,
  RTCIceCandidate: 0,
  RTCPeerConnectionIceEvent: 1,
  RTCPeerConnectionIceErrorEvent: 2,
  RTCDataChannelEvent: 2,
  RTCError: 1,
  RTCErrorEvent: 2,
  RTCTrackEvent: 2,
  RTCRtpScriptTransform: 1,
  RTCDTMFToneChangeEvent: 1,
  MediaStream: 0,
  MediaStreamTrackEvent: 2,
  MediaStreamEvent: 1,
};
for (const [name, cls] of Object.entries(interfaces)) {
  Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: name, configurable: true });
  Object.defineProperty(cls, 'length', { value: LENGTH[name] ?? 0, configurable: true });
}

module.exports = {
  ...interfaces,
  // Codecs written by the page or process (js/webrtc/codecs.cjs).
  codecs: sharedCodecs(),
  // Node media I/O, shaped like @roamhq/wrtc's `nonstandard` export.
  nonstandard: {
    RTCAudioSource, RTCAudioSink, RTCVideoSource, RTCVideoSink, RTCDtmfSink, i420ToRgba, rgbaToI420,
  },
};
