// SDP attributes (RFC 8866 section 5.13): "a=<name>" (a property) or
// "a=<name>:<value>". Every attribute is kept, known or not, in the order
// it came, so a parsed description serializes back to the same text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmrtc::sdp {

struct Attribute {
  std::string name;
  // nullopt for a property attribute ("a=rtcp-mux"); a value may be empty
  // ("a=foo:"), which is a different line.
  std::optional<std::string> value;

  // The text after "a=".
  std::string to_string() const;
  bool operator==(const Attribute&) const = default;
};

// An ordered list of attributes with lookups by name. Names compare
// exactly (case-sensitive), as browsers do.
class Attributes {
 public:
  using List = std::vector<Attribute>;

  Attributes() = default;
  Attributes(std::initializer_list<Attribute> items) : items_(items) {}

  const List& list() const { return items_; }
  List& list() { return items_; }
  List::const_iterator begin() const { return items_.begin(); }
  List::const_iterator end() const { return items_.end(); }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

  // The first attribute called `name`, or nullptr.
  const Attribute* find(std::string_view name) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  // The value of the first attribute called `name` that has one.
  std::optional<std::string_view> value(std::string_view name) const;
  // The values of every attribute called `name`, in order (properties skipped).
  std::vector<std::string_view> values(std::string_view name) const;

  void add(std::string name, std::optional<std::string> value = std::nullopt);
  // Replaces the first attribute called `name` (removing any others), or
  // appends one.
  void set(std::string name, std::optional<std::string> value = std::nullopt);
  // Inserts before the first attribute called `before`, or appends.
  void insert_before(std::string_view before, Attribute attribute);
  // Removes every attribute called `name`; returns how many.
  size_t remove(std::string_view name);

  bool operator==(const Attributes&) const = default;

 private:
  List items_;
};

}  // namespace wasmrtc::sdp
