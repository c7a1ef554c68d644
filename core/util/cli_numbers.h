// Numbers a user types: on the command line a cell "M,N", a step range "A-B", a size "WxH",
// a step "K"; in the window a cell's value. Strict and overflow-safe, so that any text a
// user types is a number or a clear no that says why (not a number, or too large).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace convlens {

// Why a text is not the number asked for.
enum class NumberTrouble {
    None,
    NotANumber,  // not written as a number at all ("abc", "3x", "", "inf", "nan")
    TooLarge,    // a number, but beyond the type: an int past +-2147483647, a double past 1.8e308
    TooSmall,    // a real number so close to zero that a double holds only 0 (1e-400)
};

// A whole number that fits an int: an optional sign, digits, blanks (space, tab) around.
// nullopt for anything else, including a number beyond int (sscanf's %d is undefined
// behaviour there) and trailing text ("3x"); `trouble`, when given, says which.
std::optional<int> parse_whole_number(std::string_view text, NumberTrouble* trouble = nullptr);

// Two whole numbers around one separator, each as parse_whole_number reads it:
// ("2,3", ',') -> {2, 3}; ("1-4", '-') -> {1, 4}; ("-1--2", '-') -> {-1, -2};
// ("1920x1080", 'x') -> {1920, 1080}. `trouble` is TooLarge when the text has the form but
// a number is beyond int.
std::optional<std::pair<int, int>> parse_number_pair(std::string_view text, char separator,
                                                     NumberTrouble* trouble = nullptr);

// A finite real number as people type one into a cell: "-1.5", ".5", "2.", "1e-3",
// "1E+3", "−2" (the minus sign U+2212), "0,5" (a decimal comma), blanks around. Not
// "inf", "nan", hexadecimal or trailing text. A value beyond the largest double (1e400)
// is TooLarge; one that would round to zero although its digits are not all zero (1e-400)
// is TooSmall; subnormal values (1e-310) are doubles and accepted.
std::optional<double> parse_real_number(std::string_view text, NumberTrouble* trouble = nullptr);

// One phrase for a refusal, after the quoted text: "\"1e400\" is too large for a double
// (beyond 1.8e308)", "\"abc\" is not a number"; with `whole` the words of an int ("is not a
// whole number", "is too large (... up to 2147483647)"). "" for NumberTrouble::None.
std::string number_trouble_message(std::string_view text, NumberTrouble trouble,
                                   bool whole = false);

// ", which is too large (whole numbers here go up to 2147483647)" when trouble is TooLarge
// (a double's words without `whole`), else "": for a message that already says what it
// expected and quoted what it got.
std::string too_large_note(NumberTrouble trouble, bool whole = true);

}  // namespace convlens
