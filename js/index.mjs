// ES module entry: the same objects as the CommonJS entry.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const wasmrtc = require('./index.cjs');

export const {
  versions, stun,
  RTCPeerConnection, RTCDataChannel, RTCSessionDescription, RTCIceCandidate, RTCCertificate,
  RTCIceTransport, RTCDtlsTransport, RTCSctpTransport,
  RTCPeerConnectionIceEvent, RTCPeerConnectionIceErrorEvent, RTCDataChannelEvent, RTCError, RTCErrorEvent,
  RTCStatsReport, RTCRtpSender, RTCRtpReceiver, RTCRtpTransceiver, RTCTrackEvent, RTCDTMFSender, RTCDTMFToneChangeEvent,
  MediaStream, MediaStreamTrack, MediaStreamTrackEvent, nonstandard,
} = wasmrtc;
export default wasmrtc;
