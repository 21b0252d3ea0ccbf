#include "media/audio_frame.h"

namespace wasmrtc::media {

std::string_view to_string(AudioFrameKind kind) {
  switch (kind) {
    case AudioFrameKind::NotStarted: return "NotStarted";
    case AudioFrameKind::Normal: return "Normal";
    case AudioFrameKind::Concealed: return "Concealed";
    case AudioFrameKind::Silent: return "Silent";
  }
  return "Unknown";
}

}  // namespace wasmrtc::media
