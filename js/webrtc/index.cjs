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
const { MediaStream, MediaStreamTrack, MediaStreamTrackEvent } = require('./media-stream.cjs');
const {
  RTCAudioSource, RTCAudioSink, RTCVideoSource, RTCVideoSink, RTCDtmfSink, i420ToRgba, rgbaToI420,
} = require('./nonstandard.cjs');

module.exports = {
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
  RTCDTMFSender,
  RTCDTMFToneChangeEvent,
  MediaStream,
  MediaStreamTrack,
  MediaStreamTrackEvent,
  // Node media I/O, shaped like @roamhq/wrtc's `nonstandard` export.
  nonstandard: {
    RTCAudioSource, RTCAudioSink, RTCVideoSource, RTCVideoSink, RTCDtmfSink, i420ToRgba, rgbaToI420,
  },
};
