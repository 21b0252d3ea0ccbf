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
};
