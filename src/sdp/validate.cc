#include "sdp/validate.h"

#include <set>
#include <string>

#include "sdp/bundle.h"

namespace wasmrtc::sdp {
namespace {

using base::Unexpected;

Unexpected<JsepError> fail(JsepErrorCode code, std::string message) {
  return Unexpected(JsepError{code, std::move(message), std::nullopt});
}

std::string describe(const SessionDescription& d, size_t index) {
  std::string out = "m= section " + std::to_string(index);
  if (auto mid = d.media[index].mid()) out += " (mid " + std::string(*mid) + ")";
  return out;
}

std::vector<Fingerprint> effective_fingerprints(const SessionDescription& d, size_t index) {
  auto f = d.fingerprints(index);
  if (!f.empty()) return f;
  const size_t tag = transport_section(d, index);
  return tag == index ? f : d.fingerprints(tag);
}

bool same_fingerprints(const std::vector<Fingerprint>& a, const std::vector<Fingerprint>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].same_as(b[i])) return false;
  }
  return true;
}

}  // namespace

void fill_missing_mids(SessionDescription& d) {
  std::set<std::string> used;
  for (const auto& m : d.media) {
    if (auto mid = m.mid()) used.emplace(*mid);
  }
  for (size_t i = 0; i < d.media.size(); ++i) {
    if (d.media[i].mid()) continue;
    std::string mid = std::to_string(i);
    for (size_t n = 0; used.count(mid); ++n) mid = std::to_string(i) + "_" + std::to_string(n);
    used.insert(mid);
    d.media[i].attributes.add("mid", mid);
  }
}

JsepResult<void> validate_remote(const SessionDescription& d, SdpType type) {
  std::set<std::string_view> mids;
  for (size_t i = 0; i < d.media.size(); ++i) {
    auto mid = d.media[i].mid();
    if (mid && !mids.insert(*mid).second) {
      return fail(JsepErrorCode::DuplicateMid, "mid " + std::string(*mid) + " appears twice");
    }
  }
  for (const auto& g : d.groups()) {
    if (g.semantics != "BUNDLE") continue;
    for (const auto& mid : g.mids) {
      if (!d.find_mid(mid)) {
        return fail(JsepErrorCode::BadBundleGroup, "BUNDLE group names mid " + mid + ", which no m= section has");
      }
    }
  }
  for (size_t i = 0; i < d.media.size(); ++i) {
    if (d.media[i].is_rejected()) continue;
    auto ice = transport_credentials(d, i);
    if (!ice) return fail(JsepErrorCode::MissingIceCredentials, describe(d, i) + " has no ice-ufrag and ice-pwd");
    if (!is_valid_ice_ufrag(ice->ufrag) || !is_valid_ice_pwd(ice->pwd)) {
      return fail(JsepErrorCode::BadIceCredentials,
                  describe(d, i) + " has an ice-ufrag or ice-pwd of the wrong length or characters");
    }
    if (effective_fingerprints(d, i).empty()) {
      return fail(JsepErrorCode::MissingFingerprint, describe(d, i) + " has no DTLS fingerprint");
    }
    if (type != SdpType::Offer && d.setup(i) == Setup::ActPass) {
      return fail(JsepErrorCode::BadSetup, describe(d, i) + ": an answer must say setup:active or setup:passive");
    }
  }
  return {};
}

JsepResult<void> check_answer_matches_offer(const SessionDescription& offer, const SessionDescription& answer) {
  if (offer.media.size() != answer.media.size()) {
    return fail(JsepErrorCode::MediaSectionsMismatch,
                "the answer has " + std::to_string(answer.media.size()) + " m= sections, the offer " +
                    std::to_string(offer.media.size()));
  }
  for (size_t i = 0; i < offer.media.size(); ++i) {
    if (offer.media[i].media != answer.media[i].media || offer.media[i].mid() != answer.media[i].mid()) {
      return fail(JsepErrorCode::MediaSectionsMismatch,
                  describe(answer, i) + " of the answer does not match " + describe(offer, i) + " of the offer");
    }
  }
  for (const auto& g : answer.groups()) {
    if (g.semantics != "BUNDLE") continue;
    for (const auto& mid : g.mids) {
      if (!offer.bundle_group_of(mid)) {
        return fail(JsepErrorCode::BadBundleGroup, "the answer bundles mid " + mid + ", which the offer did not");
      }
    }
  }
  return {};
}

JsepResult<void> check_reoffer(const SessionDescription& current_local, const SessionDescription& current_remote,
                               const SessionDescription& offer) {
  const auto& before = current_local.media;
  if (offer.media.size() < before.size()) {
    return fail(JsepErrorCode::MediaSectionsMismatch, "the offer has fewer m= sections than the current session");
  }
  for (size_t i = 0; i < before.size(); ++i) {
    const bool recyclable =
        before[i].port == 0 || (i < current_remote.media.size() && current_remote.media[i].port == 0);
    if (recyclable) continue;
    if (before[i].media != offer.media[i].media || before[i].mid() != offer.media[i].mid()) {
      return fail(JsepErrorCode::MediaSectionsMismatch,
                  describe(offer, i) + " of the offer changes an m= section in use");
    }
  }
  return {};
}

JsepResult<void> check_local_modification(const SessionDescription& created, const SessionDescription& given) {
  auto modified = [](std::string what) {
    return fail(JsepErrorCode::DescriptionModified, "the description was modified: " + what);
  };
  if (created.media.size() != given.media.size()) return modified("number of m= sections");
  for (size_t i = 0; i < created.media.size(); ++i) {
    const auto& a = created.media[i];
    const auto& b = given.media[i];
    if (a.media != b.media || a.proto != b.proto || (a.port == 0) != (b.port == 0)) {
      return modified("m= line " + std::to_string(i));
    }
    if (a.mid() != b.mid()) return modified("mid of m= section " + std::to_string(i));
    if (created.ice_credentials(i) != given.ice_credentials(i)) return modified("ICE credentials");
    if (!same_fingerprints(created.fingerprints(i), given.fingerprints(i))) return modified("fingerprint");
  }
  return {};
}

}  // namespace wasmrtc::sdp
