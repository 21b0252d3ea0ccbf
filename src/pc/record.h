// A small ordered property bag: what the engine hands across its boundary
// (events for the page, results of commands, stats dictionaries). The WASM
// binding turns one into a plain JS object; native tests read it directly.
// Inside the core everything is typed; only this edge is generic, because
// the W3C objects it feeds are dictionaries too.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/bytes.h"

namespace wasmrtc::pc {

struct Record;
using RecordList = std::vector<Record>;
struct Null {
  bool operator==(const Null&) const = default;
};
using Value = std::variant<Null, bool, double, std::string, base::Bytes,
                           std::shared_ptr<Record>, std::shared_ptr<RecordList>>;

struct Record {
  std::vector<std::pair<std::string, Value>> fields;

  Record& set_value(std::string key, Value v) {
    for (auto& f : fields) {
      if (f.first == key) {
        f.second = std::move(v);
        return *this;
      }
    }
    fields.emplace_back(std::move(key), std::move(v));
    return *this;
  }
  Record& set(std::string key, Null) { return set_value(std::move(key), Value(Null{})); }
  Record& set(std::string key, bool b) { return set_value(std::move(key), Value(b)); }
  Record& set(std::string key, double d) { return set_value(std::move(key), Value(d)); }
  Record& set(std::string key, int n) { return set(std::move(key), static_cast<double>(n)); }
  Record& set(std::string key, uint32_t n) { return set(std::move(key), static_cast<double>(n)); }
  Record& set(std::string key, uint64_t n) { return set(std::move(key), static_cast<double>(n)); }
  Record& set(std::string key, int64_t n) { return set(std::move(key), static_cast<double>(n)); }
  Record& set(std::string key, const char* s) { return set_value(std::move(key), Value(std::string(s))); }
  Record& set(std::string key, std::string_view s) { return set_value(std::move(key), Value(std::string(s))); }
  Record& set(std::string key, const std::string& s) { return set_value(std::move(key), Value(s)); }
  Record& set(std::string key, base::Bytes b) { return set_value(std::move(key), Value(std::move(b))); }
  Record& set(std::string key, Record r) {
    return set_value(std::move(key), Value(std::make_shared<Record>(std::move(r))));
  }
  Record& set(std::string key, RecordList l) {
    return set_value(std::move(key), Value(std::make_shared<RecordList>(std::move(l))));
  }
  template <typename T>
  Record& set_optional(std::string key, const std::optional<T>& v) {
    if (v) return set(std::move(key), *v);
    return set(std::move(key), Null{});
  }

  const Value* get(std::string_view key) const {
    for (const auto& f : fields)
      if (f.first == key) return &f.second;
    return nullptr;
  }
  std::optional<std::string> get_string(std::string_view key) const {
    const Value* v = get(key);
    if (v && std::holds_alternative<std::string>(*v)) return std::get<std::string>(*v);
    return std::nullopt;
  }
  std::optional<double> get_number(std::string_view key) const {
    const Value* v = get(key);
    if (v && std::holds_alternative<double>(*v)) return std::get<double>(*v);
    return std::nullopt;
  }
  std::optional<bool> get_bool(std::string_view key) const {
    const Value* v = get(key);
    if (v && std::holds_alternative<bool>(*v)) return std::get<bool>(*v);
    return std::nullopt;
  }
};

}  // namespace wasmrtc::pc
