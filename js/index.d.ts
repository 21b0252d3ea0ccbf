// Type declarations for the npm package `wasmrtc`.
export * from './webrtc';
import type * as webrtc from './webrtc';

export interface LibraryVersions {
  mbedtls: string;
  libsrtp2: string;
  usrsctp: string;
  opus: string;
  libvpx: string;
}

/** The versions of the C libraries linked into the WASM module. */
export function versions(): LibraryVersions;

export type StunClass = 'request' | 'indication' | 'success' | 'error';
export type StunMethodName =
  | 'binding' | 'allocate' | 'refresh' | 'send' | 'data' | 'create-permission' | 'channel-bind';

export interface StunAddress {
  family?: 'IPv4' | 'IPv6';
  address: string;
  port: number;
}

export interface StunAttribute {
  type: number;
  value: Uint8Array;
}

export interface StunIntegrity {
  /** The HMAC key itself. */
  key?: Uint8Array;
  /** Short-term credential: the key is the password (RFC 8489 section 9.1.1). */
  password?: string;
  /** With realm: long-term credential, key = MD5(username:realm:password). */
  username?: string;
  realm?: string;
}

export interface StunMessageInit {
  class: StunClass;
  method: StunMethodName | number;
  transactionId: Uint8Array;
  username?: string;
  realm?: string;
  nonce?: string;
  software?: string;
  mappedAddress?: StunAddress;
  xorMappedAddress?: StunAddress;
  errorCode?: { code: number; reason: string };
  unknownAttributes?: number[];
  priority?: number;
  useCandidate?: boolean;
  iceControlling?: bigint;
  iceControlled?: bigint;
  /** More attributes, written as given, after the typed ones. */
  attributes?: StunAttribute[];
  integrity?: StunIntegrity;
  integritySha256?: StunIntegrity;
  fingerprint?: boolean;
}

export interface StunMessage {
  class: StunClass;
  method: StunMethodName | number;
  transactionId: Uint8Array;
  /** Every attribute in wire order, raw. */
  attributes: StunAttribute[];
  username?: string;
  realm?: string;
  nonce?: string;
  software?: string;
  mappedAddress?: StunAddress;
  xorMappedAddress?: StunAddress;
  errorCode?: { code: number; reason: string };
  unknownAttributes?: number[];
  priority?: number;
  useCandidate?: boolean;
  iceControlling?: bigint;
  iceControlled?: bigint;
  messageIntegrity: boolean;
  messageIntegritySha256: boolean;
  /** True when FINGERPRINT is present (and, since parse succeeded, valid). */
  fingerprint: boolean;
  /** Comprehension-required attribute types (0x0000-0x7FFF) this codec does not know. */
  unknownComprehensionRequired: number[];
}

declare class StunErrorClass extends Error {
  name: 'StunError';
  /** The codec's error, e.g. 'Truncated', 'BadLength', 'BadAttributePadding', 'BadFingerprint'. */
  code: string;
}

export namespace stun {
  function parse(data: Uint8Array | ArrayBuffer | ArrayBufferView): StunMessage;
  function build(message: StunMessageInit): Uint8Array;
  function verifyIntegrity(data: Uint8Array, key: Uint8Array): boolean;
  function verifyIntegritySha256(data: Uint8Array, key: Uint8Array): boolean;
  function longTermKey(username: string, realm: string, password: string): Uint8Array;
  function looksLikeStun(data: Uint8Array): boolean;
  const METHODS: Readonly<Record<StunMethodName, number>>;
  const StunError: typeof StunErrorClass;
  type StunError = StunErrorClass;
}

declare const wasmrtc: { versions: typeof versions; stun: typeof stun } & typeof webrtc;
export default wasmrtc;
