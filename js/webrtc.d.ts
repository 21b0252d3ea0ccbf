// Declarations of the W3C WebRTC interfaces wasmrtc exports (webrtc-pc).
// Self-contained: they name only EventTarget and Event, which both the DOM
// library and @types/node declare.

export type RTCSdpType = 'offer' | 'pranswer' | 'answer' | 'rollback';
export type RTCSignalingState = 'stable' | 'have-local-offer' | 'have-remote-offer' | 'have-local-pranswer' | 'have-remote-pranswer' | 'closed';
export type RTCIceGatheringState = 'new' | 'gathering' | 'complete';
export type RTCIceConnectionState = 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed' | 'closed';
export type RTCPeerConnectionState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';
export type RTCDataChannelState = 'connecting' | 'open' | 'closing' | 'closed';
export type RTCIceTransportPolicy = 'relay' | 'all';
export type RTCBundlePolicy = 'balanced' | 'max-compat' | 'max-bundle';
export type RTCIceCandidateType = 'host' | 'srflx' | 'prflx' | 'relay';
export type RTCIceProtocol = 'udp' | 'tcp';
export type RTCIceTcpCandidateType = 'active' | 'passive' | 'so';
export type RTCIceComponent = 'rtp' | 'rtcp';
export type RTCIceRole = 'unknown' | 'controlling' | 'controlled';
export type RTCDtlsTransportState = 'new' | 'connecting' | 'connected' | 'closed' | 'failed';
export type RTCSctpTransportState = 'connecting' | 'connected' | 'closed';
export type BinaryType = 'blob' | 'arraybuffer';
export type RTCRtpTransceiverDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' | 'stopped';
export type MediaStreamTrackState = 'live' | 'ended';

export interface RTCIceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** wasmrtc's own options (nonstandard), under RTCConfiguration.wasmrtc. */
export interface WasmrtcOptions {
  /** Offer loopback host candidates (Node; for tests on one machine). */
  loopback?: boolean;
  /** Host addresses to use instead of the machine's interfaces (Node). */
  hostAddresses?: string[];
  /** wasmrtc-gateway URL (ws:// or wss://): TURN servers are reached through it. */
  gateway?: string;
  /** PEM certificates trusted for turns: servers besides the system's CAs (Node, without a gateway). */
  turnsCa?: string | string[];
}

export interface RTCConfiguration {
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  bundlePolicy?: RTCBundlePolicy;
  rtcpMuxPolicy?: 'negotiate' | 'require';
  certificates?: RTCCertificate[];
  iceCandidatePoolSize?: number;
  wasmrtc?: WasmrtcOptions;
}

export interface RTCSessionDescriptionInit {
  type: RTCSdpType;
  sdp?: string;
}

export class RTCSessionDescription {
  constructor(descriptionInitDict: RTCSessionDescriptionInit);
  readonly type: RTCSdpType;
  readonly sdp: string;
  toJSON(): RTCSessionDescriptionInit;
}

export interface RTCIceCandidateInit {
  candidate?: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

export class RTCIceCandidate {
  constructor(candidateInitDict?: RTCIceCandidateInit);
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
  readonly foundation: string | null;
  readonly component: RTCIceComponent | null;
  readonly priority: number | null;
  readonly address: string | null;
  readonly protocol: RTCIceProtocol | null;
  readonly port: number | null;
  readonly type: RTCIceCandidateType | null;
  readonly tcpType: RTCIceTcpCandidateType | null;
  readonly relatedAddress: string | null;
  readonly relatedPort: number | null;
  readonly usernameFragment: string | null;
  toJSON(): RTCIceCandidateInit;
}

export interface RTCDtlsFingerprint {
  algorithm?: string;
  value?: string;
}

export class RTCCertificate {
  readonly expires: number;
  getFingerprints(): RTCDtlsFingerprint[];
}

export interface RTCDataChannelInit {
  ordered?: boolean;
  maxPacketLifeTime?: number;
  maxRetransmits?: number;
  protocol?: string;
  negotiated?: boolean;
  id?: number;
}

type Handler<E = Event> = ((this: unknown, ev: E) => unknown) | null;

export class RTCDataChannel extends EventTarget {
  readonly label: string;
  readonly ordered: boolean;
  readonly maxPacketLifeTime: number | null;
  readonly maxRetransmits: number | null;
  /** Chromium's legacy member: neither maxRetransmits nor maxPacketLifeTime is set. */
  readonly reliable: boolean;
  readonly protocol: string;
  readonly negotiated: boolean;
  readonly id: number | null;
  readonly readyState: RTCDataChannelState;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  binaryType: BinaryType;
  onopen: Handler;
  onbufferedamountlow: Handler;
  onerror: Handler<RTCErrorEvent>;
  onclosing: Handler;
  onclose: Handler;
  onmessage: Handler<Event & { readonly data: unknown }>;
  send(data: string | ArrayBuffer | ArrayBufferView | Blob): void;
  close(): void;
}

export class RTCIceTransport extends EventTarget {
  readonly role: RTCIceRole;
  readonly component: RTCIceComponent;
  readonly state: RTCIceConnectionState;
  readonly gatheringState: RTCIceGatheringState;
  onstatechange: Handler;
  ongatheringstatechange: Handler;
  onselectedcandidatepairchange: Handler;
  getSelectedCandidatePair(): { local: RTCIceCandidate; remote: RTCIceCandidate } | null;
}

export class RTCDtlsTransport extends EventTarget {
  readonly iceTransport: RTCIceTransport;
  readonly state: RTCDtlsTransportState;
  onstatechange: Handler;
  onerror: Handler<RTCErrorEvent>;
  getRemoteCertificates(): ArrayBuffer[];
}

export class RTCSctpTransport extends EventTarget {
  readonly transport: RTCDtlsTransport;
  readonly state: RTCSctpTransportState;
  readonly maxMessageSize: number;
  readonly maxChannels: number | null;
  onstatechange: Handler;
}

export class RTCStatsReport {
  readonly size: number;
  get(id: string): Record<string, unknown> | undefined;
  has(id: string): boolean;
  forEach(callback: (value: Record<string, unknown>, key: string, report: RTCStatsReport) => void): void;
  entries(): IterableIterator<[string, Record<string, unknown>]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<Record<string, unknown>>;
  [Symbol.iterator](): IterableIterator<[string, Record<string, unknown>]>;
}

export class RTCPeerConnectionIceEvent extends Event {
  constructor(type: string, init?: { candidate?: RTCIceCandidate | null; url?: string | null });
  readonly candidate: RTCIceCandidate | null;
  readonly url: string | null;
}

export class RTCPeerConnectionIceErrorEvent extends Event {
  readonly address: string | null;
  readonly port: number | null;
  readonly url: string;
  readonly errorCode: number;
  readonly errorText: string;
}

export class RTCDataChannelEvent extends Event {
  constructor(type: string, init: { channel: RTCDataChannel });
  readonly channel: RTCDataChannel;
}

export class RTCError extends Error {
  readonly errorDetail: string;
  readonly sdpLineNumber: number | null;
  readonly sctpCauseCode: number | null;
  readonly receivedAlert: number | null;
  readonly sentAlert: number | null;
  readonly httpRequestStatusCode: number | null;
}

export class RTCErrorEvent extends Event {
  readonly error: RTCError;
}

export interface RTCOfferOptions {
  iceRestart?: boolean;
  /** Legacy (webrtc-pc 4.4.3): true adds a recvonly transceiver unless one of the kind receives; false stops receiving. */
  offerToReceiveAudio?: boolean;
  offerToReceiveVideo?: boolean;
}

export type RTCSessionDescriptionCallback = (description: RTCSessionDescriptionInit) => void;
export type RTCPeerConnectionErrorCallback = (error: DOMException) => void;

// ---- media (webrtc-pc 5; mediacapture-main 4)

export interface MediaTrackSettings {
  sampleRate?: number;
  sampleSize?: number;
  channelCount?: number;
  [name: string]: unknown;
}

export class MediaStreamTrack extends EventTarget {
  readonly kind: string;
  readonly id: string;
  readonly label: string;
  enabled: boolean;
  readonly muted: boolean;
  readonly readyState: MediaStreamTrackState;
  contentHint: string;
  onmute: Handler;
  onunmute: Handler;
  onended: Handler;
  clone(): MediaStreamTrack;
  stop(): void;
  getCapabilities(): Record<string, unknown>;
  getConstraints(): Record<string, unknown>;
  getSettings(): MediaTrackSettings;
  applyConstraints(constraints?: Record<string, unknown>): Promise<void>;
}

export class MediaStreamTrackEvent extends Event {
  constructor(type: string, eventInitDict: { track: MediaStreamTrack });
  readonly track: MediaStreamTrack;
}

export class MediaStream extends EventTarget {
  constructor();
  constructor(stream: MediaStream);
  constructor(tracks: Iterable<MediaStreamTrack>);
  readonly id: string;
  readonly active: boolean;
  onaddtrack: Handler<MediaStreamTrackEvent>;
  onremovetrack: Handler<MediaStreamTrackEvent>;
  getAudioTracks(): MediaStreamTrack[];
  getVideoTracks(): MediaStreamTrack[];
  getTracks(): MediaStreamTrack[];
  getTrackById(trackId: string): MediaStreamTrack | null;
  addTrack(track: MediaStreamTrack): void;
  removeTrack(track: MediaStreamTrack): void;
  clone(): MediaStream;
}

export interface RTCRtpCodec {
  mimeType: string;
  clockRate: number;
  channels?: number;
  sdpFmtpLine?: string;
}

export interface RTCRtpHeaderExtensionCapability {
  uri: string;
}

export interface RTCRtpCapabilities {
  codecs: RTCRtpCodec[];
  headerExtensions: RTCRtpHeaderExtensionCapability[];
}

export interface RTCRtpCodecParameters extends RTCRtpCodec {
  payloadType: number;
}

export interface RTCRtpHeaderExtensionParameters {
  uri: string;
  id: number;
  encrypted?: boolean;
}

export interface RTCRtcpParameters {
  cname?: string;
  reducedSize?: boolean;
}

export interface RTCRtpParameters {
  headerExtensions: RTCRtpHeaderExtensionParameters[];
  rtcp: RTCRtcpParameters;
  codecs: RTCRtpCodecParameters[];
}

export interface RTCRtpEncodingParameters {
  rid?: string;
  active?: boolean;
  maxBitrate?: number;
  maxFramerate?: number;
  scaleResolutionDownBy?: number;
}

export interface RTCRtpSendParameters extends RTCRtpParameters {
  transactionId: string;
  encodings: RTCRtpEncodingParameters[];
}

export type RTCRtpReceiveParameters = RTCRtpParameters;

export interface RTCRtpContributingSource {
  timestamp: number;
  source: number;
  audioLevel?: number;
  rtpTimestamp: number;
}

export type RTCRtpSynchronizationSource = RTCRtpContributingSource;

export class RTCRtpSender {
  readonly track: MediaStreamTrack | null;
  readonly transport: RTCDtlsTransport | null;
  /** An RTCDTMFSender for audio, null for video (webrtc-pc 7.1). */
  readonly dtmf: RTCDTMFSender | null;
  static getCapabilities(kind: string): RTCRtpCapabilities | null;
  setParameters(parameters: RTCRtpSendParameters): Promise<void>;
  getParameters(): RTCRtpSendParameters;
  replaceTrack(withTrack: MediaStreamTrack | null): Promise<void>;
  setStreams(...streams: MediaStream[]): void;
  getStats(): Promise<RTCStatsReport>;
}

export class RTCRtpReceiver {
  readonly track: MediaStreamTrack;
  readonly transport: RTCDtlsTransport | null;
  jitterBufferTarget: number | null;
  static getCapabilities(kind: string): RTCRtpCapabilities | null;
  getParameters(): RTCRtpReceiveParameters;
  getContributingSources(): RTCRtpContributingSource[];
  getSynchronizationSources(): RTCRtpSynchronizationSource[];
  getStats(): Promise<RTCStatsReport>;
}

export interface RTCRtpTransceiverInit {
  direction?: RTCRtpTransceiverDirection;
  streams?: MediaStream[];
  sendEncodings?: RTCRtpEncodingParameters[];
}

export class RTCRtpTransceiver {
  readonly mid: string | null;
  readonly sender: RTCRtpSender;
  readonly receiver: RTCRtpReceiver;
  direction: RTCRtpTransceiverDirection;
  readonly currentDirection: RTCRtpTransceiverDirection | null;
  stop(): void;
  setCodecPreferences(codecs: Iterable<RTCRtpCodec>): void;
}

export interface RTCTrackEventInit {
  receiver: RTCRtpReceiver;
  track: MediaStreamTrack;
  streams?: MediaStream[];
  transceiver: RTCRtpTransceiver;
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
}

export class RTCTrackEvent extends Event {
  constructor(type: string, eventInitDict: RTCTrackEventInit);
  readonly receiver: RTCRtpReceiver;
  readonly track: MediaStreamTrack;
  readonly streams: ReadonlyArray<MediaStream>;
  readonly transceiver: RTCRtpTransceiver;
}

export interface RTCDTMFToneChangeEventInit extends EventInit {
  tone?: string;
}

export class RTCDTMFToneChangeEvent extends Event {
  constructor(type: string, eventInitDict?: RTCDTMFToneChangeEventInit);
  readonly tone: string;
}

/** webrtc-pc 7.2: tones go out as RFC 4733 telephone-events. */
export class RTCDTMFSender extends EventTarget {
  private constructor();
  insertDTMF(tones: string, duration?: number, interToneGap?: number): void;
  ontonechange: ((this: RTCDTMFSender, ev: RTCDTMFToneChangeEvent) => any) | null;
  readonly canInsertDTMF: boolean;
  readonly toneBuffer: string;
}

/** The DTMF tones an audio receiver gets (nonstandard: webrtc-pc has no receiving API). */
export class RTCDtmfSink extends EventTarget {
  constructor(receiver: RTCRtpReceiver);
  ontone: ((tone: { type: 'tone'; tone: string; duration: number }) => void) | null;
  stop(): void;
}

/** 10 ms of 16-bit PCM, as @roamhq/wrtc's nonstandard RTCAudioSource takes and RTCAudioSink gives it. */
export interface RTCAudioData {
  samples: Int16Array;
  /** 8000, 12000, 16000, 24000 or 48000 (default 48000). */
  sampleRate?: number;
  bitsPerSample?: 16;
  /** 1 or 2 (default 1). */
  channelCount?: number;
  /** sampleRate / 100. */
  numberOfFrames?: number;
}

export class RTCAudioSource {
  constructor();
  createTrack(): MediaStreamTrack;
  onData(data: RTCAudioData): void;
}

export class RTCAudioSink extends EventTarget {
  constructor(track: MediaStreamTrack);
  readonly stopped: boolean;
  ondata: ((data: Required<RTCAudioData> & { type: 'data' }) => void) | null;
  stop(): void;
}

/** Node media I/O (nonstandard), shaped like @roamhq/wrtc's `nonstandard` export. */
export const nonstandard: {
  RTCAudioSource: typeof RTCAudioSource;
  RTCAudioSink: typeof RTCAudioSink;
  RTCDtmfSink: typeof RTCDtmfSink;
};

/** A codec written by the page or process (wasmrtc.codecs.register). */
export interface CodecRegistration {
  kind: 'audio' | 'video';
  /** "<kind>/<encoding name>", e.g. "video/x-toy". */
  mimeType: string;
  clockRate: number;
  /** Audio: 1 or 2. */
  channels?: number;
  sdpFmtpLine?: string;
  /** URL (page) or path (Node) of an ES module exporting createEncoder(codec) and createDecoder(codec). */
  module: string;
}
export interface CodecErrorEvent extends Event {
  readonly error: Error;
  readonly mimeType: string;
}
/** Codecs written by the page or process, run in the engine's worker (nonstandard). */
export const codecs: EventTarget & {
  register(codec: CodecRegistration): Promise<{ mimeType: string; clockRate: number; channels?: number; sdpFmtpLine?: string; payloadType: number }>;
};

export class RTCPeerConnection extends EventTarget {
  constructor(configuration?: RTCConfiguration);
  static generateCertificate(keygenAlgorithm: string | { name: 'ECDSA'; namedCurve: 'P-256'; expires?: number }
    | { name: 'RSASSA-PKCS1-v1_5'; modulusLength: number; publicExponent: Uint8Array; hash: string | { name: string }; expires?: number }): Promise<RTCCertificate>;
  createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit>;
  createAnswer(): Promise<RTCSessionDescriptionInit>;
  setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
  addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void>;
  // Legacy callback forms (webrtc-pc 4.4.3): the promise resolves at once.
  createOffer(successCallback: RTCSessionDescriptionCallback, failureCallback: RTCPeerConnectionErrorCallback,
    options?: RTCOfferOptions): Promise<void>;
  createAnswer(successCallback: RTCSessionDescriptionCallback, failureCallback: RTCPeerConnectionErrorCallback): Promise<void>;
  setLocalDescription(description: RTCSessionDescriptionInit, successCallback: () => void,
    failureCallback?: RTCPeerConnectionErrorCallback): Promise<void>;
  setRemoteDescription(description: RTCSessionDescriptionInit, successCallback: () => void,
    failureCallback?: RTCPeerConnectionErrorCallback): Promise<void>;
  addIceCandidate(candidate: RTCIceCandidateInit | null, successCallback: () => void,
    failureCallback: RTCPeerConnectionErrorCallback): Promise<void>;
  restartIce(): void;
  getConfiguration(): RTCConfiguration;
  setConfiguration(configuration?: RTCConfiguration): void;
  close(): void;
  createDataChannel(label: string, dataChannelDict?: RTCDataChannelInit): RTCDataChannel;
  getStats(selector?: MediaStreamTrack | null): Promise<RTCStatsReport>;
  getSenders(): RTCRtpSender[];
  getReceivers(): RTCRtpReceiver[];
  getTransceivers(): RTCRtpTransceiver[];
  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RTCRtpSender;
  removeTrack(sender: RTCRtpSender): void;
  addTransceiver(trackOrKind: MediaStreamTrack | string, init?: RTCRtpTransceiverInit): RTCRtpTransceiver;
  // Chromium's legacy stream API.
  addStream(stream: MediaStream): void;
  removeStream(stream: MediaStream): void;
  getLocalStreams(): MediaStream[];
  getRemoteStreams(): MediaStream[];
  createDTMFSender(track: MediaStreamTrack): RTCDTMFSender;
  onaddstream: Handler;
  onremovestream: Handler;
  readonly localDescription: RTCSessionDescription | null;
  readonly currentLocalDescription: RTCSessionDescription | null;
  readonly pendingLocalDescription: RTCSessionDescription | null;
  readonly remoteDescription: RTCSessionDescription | null;
  readonly currentRemoteDescription: RTCSessionDescription | null;
  readonly pendingRemoteDescription: RTCSessionDescription | null;
  readonly signalingState: RTCSignalingState;
  readonly iceGatheringState: RTCIceGatheringState;
  readonly iceConnectionState: RTCIceConnectionState;
  readonly connectionState: RTCPeerConnectionState;
  readonly canTrickleIceCandidates: boolean | null;
  readonly sctp: RTCSctpTransport | null;
  onnegotiationneeded: Handler;
  onicecandidate: Handler<RTCPeerConnectionIceEvent>;
  onicecandidateerror: Handler<RTCPeerConnectionIceErrorEvent>;
  onsignalingstatechange: Handler;
  oniceconnectionstatechange: Handler;
  onicegatheringstatechange: Handler;
  onconnectionstatechange: Handler;
  ondatachannel: Handler<RTCDataChannelEvent>;
  ontrack: Handler<RTCTrackEvent>;
}
