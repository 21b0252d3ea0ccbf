// The worker given to RTCRtpScriptTransform in test/browser/
// encoded-transform, on a native Chromium page and on a polyfilled one
// alike: wasmrtc's half of the API first (it answers only the polyfill's
// transforms), then the standard onrtctransform. XORs each frame past the
// bytes a receiver reads before decoding (below), and reports the first
// keyframe's metadata to the page. Options: { side, identity } (identity:
// frames pass unchanged).
/* global importScripts, RTCEncodedVideoFrame */
importScripts('/dist/wasmrtc-transform.js');

function xor(frame, video) {
  const bytes = new Uint8Array(frame.data);
  // VP8 (RFC 6386 9.1): the frame tag (3 bytes; 10 with a keyframe's start
  // code and size) and the first partition, whose size the tag gives, stay
  // readable: Chromium's receiver reads them before its transform runs (it
  // drops keyframes whose first partition does not parse). The token
  // partitions after them are XORed: the picture cannot be decoded
  // without undoing it.
  let skip = 1;
  if (video && bytes.length >= 3) {
    const firstPartition = (bytes[0] >> 5) | (bytes[1] << 3) | (bytes[2] << 11);
    skip = (frame.type === 'key' ? 10 : 3) + firstPartition;
  }
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = i < skip ? bytes[i] : bytes[i] ^ 0x5a;
  frame.data = out.buffer;
}

// eslint-disable-next-line no-restricted-globals
self.onrtctransform = (e) => {
  const t = e.transformer;
  let reported = false;
  t.readable.pipeThrough(new TransformStream({
    transform(frame, controller) {
      const video = frame instanceof RTCEncodedVideoFrame;
      // The first keyframe (a receiver may see delta frames before one).
      if (!reported && (!video || frame.type === 'key')) {
        reported = true;
        const m = frame.getMetadata();
        // eslint-disable-next-line no-restricted-globals
        self.postMessage({
          options: t.options,
          video,
          type: frame.type ?? null,
          metadata: {
            rtpTimestamp: typeof m.rtpTimestamp, synchronizationSource: typeof m.synchronizationSource, payloadType: m.payloadType, width: m.width, height: m.height,
          },
          timestampMatches: m.rtpTimestamp === frame.timestamp,
        });
      }
      if (!(t.options && t.options.identity)) xor(frame, video);
      controller.enqueue(frame);
    },
  })).pipeTo(t.writable);
};
