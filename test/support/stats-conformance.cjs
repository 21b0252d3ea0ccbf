// getStats conformance (issue 12, defect 10): the members webrtc-pc section
// 8.6 "Mandatory To Implement Stats" lists for each RTCStatsType, with the
// JS type their WebIDL type gives, checked on a report taken as a plain
// list of stats dictionaries (a Node RTCStatsReport's values, or what a
// page returns through page.evaluate).
//
// webrtc-pc 8.6 requires a member "when [it is] valid for that object":
// webrtc-stats says which members exist only for one kind (frames* only
// for video, audio energy only for audio), only once something has
// happened (remoteId once an RTCP report arrived, roundTripTime once one
// was measured), or only for some objects (url for local srflx and relay
// candidates, sdpFmtpLine when the codec has an a=fmtp line,
// issuerCertificateId when the certificate is not self-signed). `when`
// below encodes that; the test makes sure the call is far enough along
// that every conditional member is due (see waitForFullReport).

const N = 'number';
const S = 'string';
const B = 'boolean';

const video = (s) => s.kind === 'video';
const audio = (s) => s.kind === 'audio';

// RTCRtpStreamStats, RTCReceivedRtpStreamStats, RTCSentRtpStreamStats.
const RTP = { ssrc: N, kind: S, transportId: S, codecId: S };
const RECEIVED = { packetsReceived: N, packetsLost: N, jitter: N };
const SENT = { packetsSent: N, bytesSent: N };

/**
 * type -> { member: jsType | { type, when(stats, ctx) } }: webrtc-pc 8.6
 * (w3c/webrtc-pc webrtc.html, "Mandatory To Implement Stats", 2026).
 */
const MANDATORY = {
  codec: {
    payloadType: N,
    mimeType: S,
    clockRate: N,
    // webrtc-stats: channels for audio formats (mono 1, stereo 2).
    channels: { type: N, when: (s) => s.mimeType.startsWith('audio/') },
    // webrtc-stats: "the a=fmtp line ... if one exists".
    sdpFmtpLine: { type: S, when: (s, ctx) => ctx.fmtp == null || ctx.fmtp.has(s.payloadType) },
  },
  'inbound-rtp': {
    ...RTP,
    ...RECEIVED,
    trackIdentifier: S,
    remoteId: S, // once an RTCP SR arrived: waitForFullReport waits for it
    framesDecoded: { type: N, when: video },
    framesDropped: { type: N, when: video },
    nackCount: N,
    framesReceived: { type: N, when: video },
    bytesReceived: N,
    totalAudioEnergy: { type: N, when: audio },
    totalSamplesDuration: { type: N, when: audio },
    packetsDiscarded: N,
  },
  'outbound-rtp': {
    ...RTP,
    ...SENT,
    remoteId: S, // once an RTCP report block about it arrived
    framesEncoded: { type: N, when: video },
    nackCount: N,
    framesSent: { type: N, when: video },
  },
  'remote-inbound-rtp': {
    ...RTP, ...RECEIVED, localId: S, roundTripTime: N,
  },
  'remote-outbound-rtp': {
    ...RTP, ...SENT, localId: S, remoteTimestamp: N,
  },
  'media-source': {
    trackIdentifier: S,
    kind: S,
    totalAudioEnergy: { type: N, when: audio },
    totalSamplesDuration: { type: N, when: audio },
    width: { type: N, when: video },
    height: { type: N, when: video },
    framesPerSecond: { type: N, when: video },
  },
  'peer-connection': { dataChannelsOpened: N, dataChannelsClosed: N },
  'data-channel': {
    label: S,
    protocol: S,
    // webrtc-stats: the RTCDataChannel's id, which is null until known.
    dataChannelIdentifier: { type: N, when: (s) => s.state === 'open' || s.state === 'closing' },
    state: S,
    messagesSent: N,
    bytesSent: N,
    messagesReceived: N,
    bytesReceived: N,
  },
  transport: {
    bytesSent: N,
    bytesReceived: N,
    selectedCandidatePairId: { type: S, when: (s) => s.dtlsState === 'connected' },
    localCertificateId: S,
    remoteCertificateId: { type: S, when: (s) => s.dtlsState === 'connected' },
  },
  'candidate-pair': {
    transportId: S,
    localCandidateId: S,
    remoteCandidateId: S,
    state: S,
    nominated: B,
    bytesSent: N,
    bytesReceived: N,
    totalRoundTripTime: N,
    responsesReceived: N,
    // webrtc-stats: from STUN responses; none before the first one.
    currentRoundTripTime: { type: N, when: (s) => s.responsesReceived > 0 },
  },
  'local-candidate': {
    address: S,
    port: N,
    protocol: S,
    candidateType: S,
    // webrtc-stats: the ICE server's URL, for local srflx and relay candidates.
    url: { type: S, when: (s) => s.candidateType === 'srflx' || s.candidateType === 'relay' },
  },
  'remote-candidate': {
    address: S, port: N, protocol: S, candidateType: S,
  },
  certificate: {
    fingerprint: S,
    fingerprintAlgorithm: S,
    base64Certificate: S,
    // issuerCertificateId: only for a certificate that is not self-signed
    // (webrtc-stats); WebRTC certificates are, so it is checked as a reference only.
  },
};

// Members that name another stats object, and the type it must have.
const REFERENCES = {
  transportId: ['transport'],
  codecId: ['codec'],
  localId: ['inbound-rtp', 'outbound-rtp'],
  remoteId: ['remote-inbound-rtp', 'remote-outbound-rtp'],
  mediaSourceId: ['media-source'],
  selectedCandidatePairId: ['candidate-pair'],
  localCertificateId: ['certificate'],
  remoteCertificateId: ['certificate'],
  issuerCertificateId: ['certificate'],
  localCandidateId: ['local-candidate'],
  remoteCandidateId: ['remote-candidate'],
  rtcpTransportStatsId: ['transport'],
};
const PAIRED = {
  'inbound-rtp': 'remote-outbound-rtp',
  'outbound-rtp': 'remote-inbound-rtp',
  'remote-inbound-rtp': 'outbound-rtp',
  'remote-outbound-rtp': 'inbound-rtp',
};

const UNSIGNED = new Set([
  'ssrc', 'payloadType', 'clockRate', 'channels', 'port', 'dataChannelIdentifier', 'dataChannelsOpened', 'dataChannelsClosed',
  'packetsReceived', 'packetsSent', 'bytesSent', 'bytesReceived', 'framesDecoded', 'framesDropped', 'framesReceived',
  'framesEncoded', 'framesSent', 'nackCount', 'packetsDiscarded', 'messagesSent', 'messagesReceived', 'responsesReceived',
  'width', 'height',
]);

// 'type.member' -> the values its WebIDL enum allows.
const CANDIDATE_ENUMS = { candidateType: ['host', 'srflx', 'prflx', 'relay'], protocol: ['udp', 'tcp'] };
const KIND = ['audio', 'video'];
const ENUMS = {
  'inbound-rtp.kind': KIND,
  'outbound-rtp.kind': KIND,
  'remote-inbound-rtp.kind': KIND,
  'remote-outbound-rtp.kind': KIND,
  'media-source.kind': KIND,
  'data-channel.state': ['connecting', 'open', 'closing', 'closed'],
  'candidate-pair.state': ['frozen', 'waiting', 'in-progress', 'failed', 'succeeded'],
  'local-candidate.candidateType': CANDIDATE_ENUMS.candidateType,
  'remote-candidate.candidateType': CANDIDATE_ENUMS.candidateType,
  'local-candidate.protocol': CANDIDATE_ENUMS.protocol,
  'remote-candidate.protocol': CANDIDATE_ENUMS.protocol,
};

/** The payload types that have an a=fmtp line in the given SDPs. */
function fmtpPayloadTypes(...sdps) {
  const out = new Set();
  for (const sdp of sdps) {
    for (const m of (sdp || '').matchAll(/^a=fmtp:(\d+) /gm)) out.add(Number(m[1]));
  }
  return out;
}

function requirement(spec) {
  return typeof spec === 'string' ? { type: spec, when: () => true } : spec;
}

/**
 * Every problem of `list` (stats dictionaries) as a sentence, [] when it
 * conforms: mandatory members missing or of the wrong JS type, *Id members
 * that name no stats object of the right type in the same report, and
 * enum, integer and kind checks. `ctx.fmtp`: the payload types that have
 * an a=fmtp line (fmtpPayloadTypes), when known.
 */
function conformanceProblems(list, ctx = {}) {
  const problems = [];
  const byId = new Map(list.map((s) => [s.id, s]));
  for (const s of list) {
    const where = `${s.type} ${s.id}`;
    if (typeof s.id !== 'string' || typeof s.type !== 'string' || typeof s.timestamp !== 'number') {
      problems.push(`${where}: id, type and timestamp are RTCStats members`);
    }
    const members = MANDATORY[s.type] || {};
    for (const [name, spec] of Object.entries(members)) {
      const { type, when } = requirement(spec);
      const due = when(s, ctx);
      if (!(name in s) || s[name] === undefined) {
        if (due) problems.push(`${where}: mandatory ${name} is missing`);
        continue;
      }
      if (typeof s[name] !== type) problems.push(`${where}: ${name} is ${typeof s[name]}, not ${type}`);
    }
    for (const [name, value] of Object.entries(s)) {
      if (UNSIGNED.has(name) && typeof value === 'number' && !(Number.isInteger(value) && value >= 0)) {
        problems.push(`${where}: ${name} ${value} is not an unsigned integer`);
      }
      const allowed = ENUMS[`${s.type}.${name}`];
      if (allowed && !allowed.includes(value)) problems.push(`${where}: ${name} "${value}" is not one of ${allowed.join(', ')}`);
      if (name.endsWith('Id') && name !== 'id') {
        const target = byId.get(value);
        if (!target) {
          problems.push(`${where}: ${name} "${value}" names no stats object in the report`);
        } else if (REFERENCES[name] && !REFERENCES[name].includes(target.type)) {
          problems.push(`${where}: ${name} names a ${target.type}, not ${REFERENCES[name].join(' or ')}`);
        }
      }
    }
    // remoteId and localId name each other's pair; RTP stream kinds match
    // their codec's media type (webrtc-stats RTCRtpStreamStats.kind).
    const other = byId.get(s.remoteId || s.localId);
    if (PAIRED[s.type] && other && (other.type !== PAIRED[s.type] || (other.remoteId || other.localId) !== s.id || other.ssrc !== s.ssrc)) {
      problems.push(`${where}: ${s.remoteId ? 'remoteId' : 'localId'} is not the ${PAIRED[s.type]} of the same ssrc pointing back`);
    }
    const codec = byId.get(s.codecId);
    if (codec && codec.mimeType && !codec.mimeType.startsWith(`${s.kind}/`)) {
      problems.push(`${where}: kind ${s.kind} but its codec is ${codec.mimeType}`);
    }
  }
  return problems;
}

/** The stats dictionaries of `list` as { type: sorted member names } (union over objects of a type). */
function membersByType(list) {
  const out = {};
  for (const s of list) {
    const key = s.kind && /rtp|media-source/.test(s.type) ? `${s.type} (${s.kind})` : s.type;
    out[key] = out[key] || new Set();
    for (const k of Object.keys(s)) out[key].add(k);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort()]));
}

/** Members `reference` reports for a type that `ours` does not: { 'type (kind)': [names] }. */
function missingAgainst(ours, reference, types) {
  const mine = membersByType(ours);
  const theirs = membersByType(reference);
  const out = {};
  for (const [key, names] of Object.entries(theirs)) {
    if (!types.includes(key.split(' ')[0])) continue;
    const lack = names.filter((n) => !(mine[key] || []).includes(n));
    if (lack.length) out[key] = lack;
  }
  return out;
}

/** The mandatory members (webrtc-pc 8.6) among `names` for `type`. */
function mandatoryAmong(type, names) {
  return names.filter((n) => n in (MANDATORY[type] || {}));
}

/**
 * Whether a report is far enough along that every conditional mandatory
 * member is due: each kind's outbound-rtp has a remote-inbound-rtp with a
 * round-trip time (RTCP receiver reports came back for an SR) and each
 * inbound-rtp a remote-outbound-rtp (an SR arrived).
 */
function isFullReport(list, kinds = ['audio', 'video']) {
  const of = (type, kind) => list.filter((s) => s.type === type && s.kind === kind);
  return kinds.every((kind) => of('remote-inbound-rtp', kind).some((s) => typeof s.roundTripTime === 'number') &&
    of('inbound-rtp', kind).some((s) => s.remoteId) && of('outbound-rtp', kind).some((s) => s.remoteId));
}

module.exports = {
  MANDATORY, conformanceProblems, fmtpPayloadTypes, membersByType, missingAgainst, mandatoryAmong, isFullReport,
};
