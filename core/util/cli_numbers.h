// The command line's numbers: a cell "M,N", a step range "A-B", a size "WxH", a step "K".
// Strict and overflow-safe, so that any text a user types is a number or a clear no.
#pragma once

#include <optional>
#include <string_view>
#include <utility>

namespace convlens {

// A whole number that fits an int: an optional sign, digits, blanks (space, tab) around.
// nullopt for anything else, including a number beyond int (sscanf's %d is undefined
// behaviour there) and trailing text ("3x").
std::optional<int> parse_whole_number(std::string_view text);

// Two whole numbers around one separator, each as parse_whole_number reads it:
// ("2,3", ',') -> {2, 3}; ("1-4", '-') -> {1, 4}; ("-1--2", '-') -> {-1, -2};
// ("1920x1080", 'x') -> {1920, 1080}.
std::optional<std::pair<int, int>> parse_number_pair(std::string_view text, char separator);

}  // namespace convlens
