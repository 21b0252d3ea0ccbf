#include "sdp/attribute.h"

#include <algorithm>

namespace wasmrtc::sdp {

std::string Attribute::to_string() const { return value ? name + ":" + *value : name; }

const Attribute* Attributes::find(std::string_view name) const {
  for (const auto& a : items_) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::optional<std::string_view> Attributes::value(std::string_view name) const {
  for (const auto& a : items_) {
    if (a.name == name && a.value) return std::string_view(*a.value);
  }
  return std::nullopt;
}

std::vector<std::string_view> Attributes::values(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& a : items_) {
    if (a.name == name && a.value) out.emplace_back(*a.value);
  }
  return out;
}

void Attributes::add(std::string name, std::optional<std::string> value) {
  items_.push_back(Attribute{std::move(name), std::move(value)});
}

void Attributes::set(std::string name, std::optional<std::string> value) {
  auto it = std::find_if(items_.begin(), items_.end(), [&](const Attribute& a) { return a.name == name; });
  if (it == items_.end()) {
    add(std::move(name), std::move(value));
    return;
  }
  it->value = std::move(value);
  const size_t keep = static_cast<size_t>(it - items_.begin());
  size_t index = 0;
  std::erase_if(items_, [&](const Attribute& a) { return index++ != keep && a.name == name; });
}

void Attributes::insert_before(std::string_view before, Attribute attribute) {
  auto it = std::find_if(items_.begin(), items_.end(), [&](const Attribute& a) { return a.name == before; });
  items_.insert(it, std::move(attribute));
}

size_t Attributes::remove(std::string_view name) {
  return std::erase_if(items_, [&](const Attribute& a) { return a.name == name; });
}

}  // namespace wasmrtc::sdp
