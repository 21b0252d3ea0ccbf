#include "codec/vp8_decoder.h"

#include <vpx/vp8dx.h>
#include <vpx/vpx_decoder.h>

namespace wasmrtc::codec {

Result<Vp8FrameHeader> parse_vp8_frame_header(base::ByteView frame) {
  // RFC 6386 9.1: a 3-byte frame tag; a keyframe adds the start code and
  // two 16-bit little-endian fields of 14-bit size and 2-bit scale.
  if (frame.size() < 3) return Unexpected(Error::InvalidPayload);
  const uint32_t tag = frame[0] | (frame[1] << 8) | (static_cast<uint32_t>(frame[2]) << 16);
  Vp8FrameHeader h;
  h.keyframe = (tag & 1) == 0;
  h.version = static_cast<uint8_t>((tag >> 1) & 7);
  h.show_frame = ((tag >> 4) & 1) != 0;
  h.first_partition_size = (tag >> 5) & 0x7ffff;
  if (!h.keyframe) return h;
  if (frame.size() < 10 || frame[3] != 0x9d || frame[4] != 0x01 || frame[5] != 0x2a) {
    return Unexpected(Error::InvalidPayload);
  }
  const uint16_t w = static_cast<uint16_t>(frame[6] | (frame[7] << 8));
  const uint16_t hgt = static_cast<uint16_t>(frame[8] | (frame[9] << 8));
  h.width = w & 0x3fff;
  h.horizontal_scale = static_cast<uint8_t>(w >> 14);
  h.height = hgt & 0x3fff;
  h.vertical_scale = static_cast<uint8_t>(hgt >> 14);
  return h;
}

struct Vp8Decoder::Impl {
  vpx_codec_ctx_t ctx{};
  bool initialized = false;
  ~Impl() {
    if (initialized) vpx_codec_destroy(&ctx);
  }
};

Result<std::unique_ptr<Vp8Decoder>> Vp8Decoder::create() {
  std::unique_ptr<Vp8Decoder> self(new Vp8Decoder());
  if (auto r = self->init(); !r) return Unexpected(r.error());
  return self;
}

Vp8Decoder::~Vp8Decoder() = default;

Result<void> Vp8Decoder::init() {
  auto impl = std::make_unique<Impl>();
  vpx_codec_dec_cfg_t cfg{};
  cfg.threads = 1;
  if (vpx_codec_dec_init(&impl->ctx, vpx_codec_vp8_dx(), &cfg, 0) != VPX_CODEC_OK) {
    return Unexpected(Error::CodecFailure);
  }
  impl->initialized = true;
  impl_ = std::move(impl);
  return {};
}

// After an error libvpx's references may be half-written: start over from a
// fresh context, which the next keyframe fully defines.
Result<VideoFrame> Vp8Decoder::fail(Error error) {
  ++stats_.errors;
  needs_keyframe_ = true;
  impl_.reset();
  if (auto r = init(); !r) return Unexpected(r.error());
  return Unexpected(error);
}

Result<VideoFrame> Vp8Decoder::decode(base::ByteView frame) {
  auto header = parse_vp8_frame_header(frame);
  if (!header) return fail(header.error());
  if (needs_keyframe_ && !header->keyframe) {
    ++stats_.skipped;
    return Unexpected(Error::NeedsKeyframe);
  }
  if (header->keyframe && (header->width == 0 || header->height == 0)) {
    return fail(Error::InvalidPayload);
  }
  if (!impl_) {
    if (auto r = init(); !r) return Unexpected(r.error());
  }
  if (vpx_codec_decode(&impl_->ctx, frame.data(), static_cast<unsigned>(frame.size()), nullptr,
                       0) != VPX_CODEC_OK) {
    return fail(Error::InvalidPayload);
  }
  // libvpx decodes some damage "successfully" and flags it instead.
  int corrupted = 0;
  if (vpx_codec_control(&impl_->ctx, VP8D_GET_FRAME_CORRUPTED, &corrupted) == VPX_CODEC_OK &&
      corrupted != 0) {
    return fail(Error::InvalidPayload);
  }
  vpx_codec_iter_t iter = nullptr;
  const vpx_image_t* img = vpx_codec_get_frame(&impl_->ctx, &iter);
  if (img == nullptr && !header->show_frame) {
    // A hidden frame (RFC 6386 9.1 show_frame = 0, an altref): decoded into
    // a reference buffer, nothing to display.
    needs_keyframe_ = false;
    ++stats_.frames_decoded;
    if (header->keyframe) ++stats_.keyframes_decoded;
    return Unexpected(Error::NotShown);
  }
  if (img == nullptr || img->fmt != VPX_IMG_FMT_I420) return fail(Error::InvalidPayload);

  const uint8_t* const planes[3] = {img->planes[VPX_PLANE_Y], img->planes[VPX_PLANE_U], img->planes[VPX_PLANE_V]};
  const int strides[3] = {img->stride[VPX_PLANE_Y], img->stride[VPX_PLANE_U], img->stride[VPX_PLANE_V]};
  VideoFrame out = VideoFrame::from_planes(img->d_w, img->d_h, planes, strides);

  needs_keyframe_ = false;
  ++stats_.frames_decoded;
  if (header->keyframe) ++stats_.keyframes_decoded;
  return out;
}

}  // namespace wasmrtc::codec
