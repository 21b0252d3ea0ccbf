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
}

export interface RTCConfiguration {
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  bundlePolicy?: RTCBundlePolicy;
  rtcpMuxPolicy?: 'require';
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
}

export class RTCErrorEvent extends Event {
  readonly error: RTCError;
}

export interface RTCOfferOptions {
  iceRestart?: boolean;
}

export class RTCPeerConnection extends EventTarget {
  constructor(configuration?: RTCConfiguration);
  static generateCertificate(keygenAlgorithm: string | { name: string; namedCurve?: string }): Promise<RTCCertificate>;
  createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit>;
  createAnswer(): Promise<RTCSessionDescriptionInit>;
  setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
  addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void>;
  restartIce(): void;
  getConfiguration(): RTCConfiguration;
  setConfiguration(configuration?: RTCConfiguration): void;
  close(): void;
  createDataChannel(label: string, dataChannelDict?: RTCDataChannelInit): RTCDataChannel;
  getStats(): Promise<RTCStatsReport>;
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
}
