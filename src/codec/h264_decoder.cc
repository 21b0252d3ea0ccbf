#include "codec/h264_decoder.h"

#include <wels/codec_api.h>

#include "codec/h264_bitstream.h"

namespace wasmrtc::codec {

struct H264Decoder::Impl {
  ISVCDecoder* decoder = nullptr;
  ~Impl() {
    if (decoder) {
      decoder->Uninitialize();
      WelsDestroyDecoder(decoder);
    }
  }
};

H264Decoder::~H264Decoder() = default;

Result<std::unique_ptr<H264Decoder>> H264Decoder::create() {
  std::unique_ptr<H264Decoder> d(new H264Decoder());
  if (auto r = d->init(); !r) return Unexpected(r.error());
  return d;
}

Result<void> H264Decoder::init() {
  auto impl = std::make_unique<Impl>();
  if (WelsCreateDecoder(&impl->decoder) != 0 || !impl->decoder) return Unexpected(Error::CodecFailure);
  int trace = WELS_LOG_QUIET;
  impl->decoder->SetOption(DECODER_OPTION_TRACE_LEVEL, &trace);
  SDecodingParam param{};
  param.sVideoProperty.size = sizeof(param.sVideoProperty);
  param.sVideoProperty.eVideoBsType = VIDEO_BITSTREAM_AVC;
  // No concealment: a damaged picture is an error and a keyframe request,
  // as for VP8, rather than a smeared one.
  param.eEcActiveIdc = ERROR_CON_DISABLE;
  if (impl->decoder->Initialize(&param) != 0) return Unexpected(Error::CodecFailure);
  impl_ = std::move(impl);
  return {};
}

// After an error the references may be damaged: start over from a fresh
// decoder, which the next IDR picture fully defines.
Result<VideoFrame> H264Decoder::fail(Error error) {
  ++stats_.errors;
  needs_keyframe_ = true;
  impl_.reset();
  if (auto r = init(); !r) return Unexpected(r.error());
  return Unexpected(error);
}

Result<VideoFrame> H264Decoder::decode(base::ByteView frame) {
  bool idr = false;
  bool any = false;
  for (auto nal : split_annex_b(frame)) {
    any = true;
    idr = idr || h264_nal_type(nal[0]) == H264NalType::IdrSlice;
  }
  if (!any) return fail(Error::InvalidPayload);
  if (needs_keyframe_ && !idr) {
    ++stats_.skipped;
    return Unexpected(Error::NeedsKeyframe);
  }
  if (!impl_) {
    if (auto r = init(); !r) return Unexpected(r.error());
  }
  unsigned char* planes[3] = {nullptr, nullptr, nullptr};
  SBufferInfo info{};
  const DECODING_STATE state =
      impl_->decoder->DecodeFrameNoDelay(frame.data(), static_cast<int>(frame.size()), planes, &info);
  if (state != dsErrorFree) return fail(Error::InvalidPayload);
  if (info.iBufferStatus != 1) {
    // Parameter sets alone, or a picture not finished: nothing to show.
    return Unexpected(Error::NotShown);
  }
  const SSysMEMBuffer& b = info.UsrData.sSystemBuffer;
  if (b.iWidth <= 0 || b.iHeight <= 0 || !planes[0] || !planes[1] || !planes[2]) return fail(Error::InvalidPayload);

  const uint8_t* const decoded[3] = {planes[0], planes[1], planes[2]};
  const int strides[3] = {b.iStride[0], b.iStride[1], b.iStride[1]};  // U and V share a stride
  VideoFrame out = VideoFrame::from_planes(static_cast<uint32_t>(b.iWidth), static_cast<uint32_t>(b.iHeight), decoded,
                                           strides);

  needs_keyframe_ = false;
  ++stats_.frames_decoded;
  if (idr) ++stats_.keyframes_decoded;
  return out;
}

}  // namespace wasmrtc::codec
