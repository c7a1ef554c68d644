// Hand-worked cases in the textbook notation of DESIGN.md, with the arithmetic in the
// comments: one-based indices there (z_{m,n}, w_{i,j}, D_{p,q} = delta^{l+1}_{p,q}),
// zero-based in the code (Eigen). Every expected number below was worked out by hand
// from DESIGN.md, never copied from the engine.
//
// [SECTION] Helpers
// [SECTION] A: 3x3 input, 2x2 kernel, stride 1 (the textbook case), three loss sources
// [SECTION] B: stride 2 (overlapping windows, stride gaps, and a row the floor drops)
// [SECTION] C: padding 1
// [SECTION] D: dilation 2
// [SECTION] E: true convolution mode
// [SECTION] F: every activation's f'
// [SECTION] Influence taps: corner and centre, reasons, index expressions
// [SECTION] AxisIndexMap: the general p = (m + P - 1 - d(i-1))/s + 1

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <stdexcept>
#include <string>

#include "engine/activation.h"
#include "engine/influence.h"
#include "engine/layer.h"
#include "engine/layer_results.h"

namespace convlens {
namespace {

// [SECTION] Helpers

Scene make_scene(Matrix input, Matrix kernel) {
    Scene s;
    s.input = std::move(input);
    s.kernel = std::move(kernel);
    return s;
}

Shape shape_of(const Matrix& m) { return {int(m.rows()), int(m.cols())}; }

// A tiny evaluator for the `substituted` strings ("3-2+1", "(3-2*2+2)/2+1", also with
// U+00B7 / U+00D7 / U+22C5 as times and U+2212 as minus): a substituted expression must
// compute the very number evaluate_real gives.
class Arithmetic {
public:
    explicit Arithmetic(std::string text) : s_(std::move(text)) {}
    double value() {
        const double v = expr();
        skip();
        if (pos_ != s_.size()) throw std::runtime_error("unexpected text at " + std::to_string(pos_));
        return v;
    }

private:
    void skip() {
        while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
    }
    bool eat(const std::string& token) {
        skip();
        if (s_.compare(pos_, token.size(), token) != 0) return false;
        pos_ += token.size();
        return true;
    }
    bool minus() { return eat("-") || eat("\u2212"); }
    bool times() { return eat("*") || eat("\u00b7") || eat("\u00d7") || eat("\u22c5"); }
    double expr() {
        double v = term();
        for (;;) {
            if (eat("+")) v += term();
            else if (minus()) v -= term();
            else return v;
        }
    }
    double term() {
        double v = factor();
        for (;;) {
            if (times()) v *= factor();
            else if (eat("/")) v /= factor();
            else return v;
        }
    }
    double factor() {
        if (minus()) return -factor();
        if (eat("(")) {
            const double v = expr();
            if (!eat(")")) throw std::runtime_error("missing )");
            return v;
        }
        skip();
        const std::size_t start = pos_;
        while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
        if (start == pos_) throw std::runtime_error("expected a number at " + std::to_string(pos_));
        return std::stod(s_.substr(start, pos_ - start));
    }
    std::string s_;
    std::size_t pos_ = 0;
};

double arithmetic(const std::string& text) { return Arithmetic(text).value(); }

// [SECTION] A: 3x3 input, 2x2 kernel, stride 1 (the textbook case)
//
//        z^l                 w              D = delta^{l+1} (given upstream)
//   | 1  2  3 |          | 1  2 |           |  1  -1 |
//   | 4  5  6 |          | 3  4 |           |  2   3 |
//   | 7  8  9 |
//
// Ho = floor((3 + 0 - 1*(2-1) - 1)/1) + 1 = 2.
// Forward z^{l+1}_{p,q} = sum_{i,j} z_{p+i-1, q+j-1} w_{i,j}:
//   z^{l+1}_{1,1} = 1*1 + 2*2 + 4*3 + 5*4 = 1 + 4 + 12 + 20 = 37
//   z^{l+1}_{1,2} = 2*1 + 3*2 + 5*3 + 6*4 = 2 + 6 + 15 + 24 = 47
//   z^{l+1}_{2,1} = 4*1 + 5*2 + 7*3 + 8*4 = 4 + 10 + 21 + 32 = 67
//   z^{l+1}_{2,2} = 5*1 + 6*2 + 8*3 + 9*4 = 5 + 12 + 24 + 36 = 77
// delta^l_{m,n} = sum_{i,j} D_{m-i+1, n-j+1} w_{i,j}, terms outside 1..2 dropped:
//   delta_{1,1} = D_{1,1} w_{1,1}                                   = 1*1                  =  1
//   delta_{1,2} = D_{1,2} w_{1,1} + D_{1,1} w_{1,2}                 = -1*1 + 1*2           =  1
//   delta_{1,3} = D_{1,2} w_{1,2}                                   = -1*2                 = -2
//   delta_{2,1} = D_{2,1} w_{1,1} + D_{1,1} w_{2,1}                 = 2*1 + 1*3            =  5
//   delta_{2,2} = D_{2,2} w_{1,1} + D_{2,1} w_{1,2}
//               + D_{1,2} w_{2,1} + D_{1,1} w_{2,2}                 = 3*1 + 2*2 - 1*3 + 1*4 = 8
//   delta_{2,3} = D_{2,2} w_{1,2} + D_{1,2} w_{2,2}                 = 3*2 - 1*4            =  2
//   delta_{3,1} = D_{2,1} w_{2,1}                                   = 2*3                  =  6
//   delta_{3,2} = D_{2,2} w_{2,1} + D_{2,1} w_{2,2}                 = 3*3 + 2*4            = 17
//   delta_{3,3} = D_{2,2} w_{2,2}                                   = 3*4                  = 12
// dJ/dw_{i,j} = sum_{p,q} D_{p,q} z_{p+i-1, q+j-1}:
//   dJ/dw_{1,1} = 1*1 - 1*2 + 2*4 + 3*5 = 1 - 2 + 8 + 15  = 22
//   dJ/dw_{1,2} = 1*2 - 1*3 + 2*5 + 3*6 = 2 - 3 + 10 + 18 = 27
//   dJ/dw_{2,1} = 1*4 - 1*5 + 2*7 + 3*8 = 4 - 5 + 14 + 24 = 37
//   dJ/dw_{2,2} = 1*5 - 1*6 + 2*8 + 3*9 = 5 - 6 + 16 + 27 = 42

Scene case_a() {
    Scene s = make_scene(Matrix{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, Matrix{{1, 2}, {3, 4}});
    s.upstream = Matrix{{1, -1}, {2, 3}};
    return s;
}

TEST(HandWorked, TextbookThreeByThreeWithGivenUpstream) {
    const Scene s = case_a();
    EXPECT_EQ(output_shape(shape_of(s.input), shape_of(s.kernel), s.spec), (Shape{2, 2}));
    const LayerResults r = compute_layer(s);
    EXPECT_EQ(r.activated, s.input);  // identity
    EXPECT_EQ(r.activation_slope, Matrix::Ones(3, 3));
    EXPECT_EQ(r.output, (Matrix{{37, 47}, {67, 77}}));
    EXPECT_EQ(r.upstream, (Matrix{{1, -1}, {2, 3}}));
    EXPECT_EQ(r.loss_source, LossSource::Upstream);
    EXPECT_FALSE(r.loss.has_value());
    const Matrix delta{{1, 1, -2}, {5, 8, 2}, {6, 17, 12}};
    EXPECT_EQ(r.grad_input, delta);
    EXPECT_EQ(r.grad_input_gather, delta);
    EXPECT_EQ(r.grad_kernel, (Matrix{{22, 27}, {37, 42}}));
    // The surrogate J = <D, z^{l+1}> = 1*37 - 1*47 + 2*67 + 3*77 = 37 - 47 + 134 + 231 = 355.
    EXPECT_EQ(objective(s, s.input, s.kernel), 355);
}

TEST(HandWorked, TextbookPlainFunctionsAgree) {
    const Scene s = case_a();
    const Matrix D = *s.upstream;
    EXPECT_EQ(forward(s.input, s.kernel, s.spec), (Matrix{{37, 47}, {67, 77}}));
    const Matrix delta{{1, 1, -2}, {5, 8, 2}, {6, 17, 12}};
    EXPECT_EQ(grad_activated_scatter(D, s.kernel, {3, 3}, s.spec), delta);
    EXPECT_EQ(grad_activated_gather(D, s.kernel, {3, 3}, s.spec), delta);
    EXPECT_EQ(grad_kernel(s.input, D, {2, 2}, s.spec), (Matrix{{22, 27}, {37, 42}}));
    // Gather form: D padded with kh-1 = 1 zero on each side, then a full correlation with
    // rot180(w) = | 4 3 ; 2 1 |. E.g. delta_{2,2} = 1*4 + (-1)*3 + 2*2 + 3*1 = 8.
    EXPECT_EQ(gather_padded_upstream(D, {2, 2}, {3, 3}, s.spec),
              (Matrix{{0, 0, 0, 0}, {0, 1, -1, 0}, {0, 2, 3, 0}, {0, 0, 0, 0}}));
    EXPECT_EQ(rotate180(s.kernel), (Matrix{{4, 3}, {2, 1}}));
    EXPECT_EQ(effective_kernel(s.kernel, ConvMode::CrossCorrelation), s.kernel);
    EXPECT_EQ(effective_kernel(s.kernel, ConvMode::Convolution), (Matrix{{4, 3}, {2, 1}}));
    EXPECT_EQ(pad_zeros(Matrix{{1, 2}}, {1, 2}),
              (Matrix{{0, 0, 0, 0, 0, 0}, {0, 0, 1, 2, 0, 0}, {0, 0, 0, 0, 0, 0}}));
    EXPECT_EQ(inner_product(Matrix{{1, 2}, {3, 4}}, Matrix{{5, 6}, {7, 8}}), 70);  // 5+12+21+32
}

// No upstream, no target: J = sum z^{l+1} = 37 + 47 + 67 + 77 = 228, D = all ones, so
// delta_{m,n} is the sum of the weights of the taps that reach an output:
//   delta_{1,1} = w11 = 1      delta_{1,2} = w11 + w12 = 3              delta_{1,3} = w12 = 2
//   delta_{2,1} = w11 + w21 = 4  delta_{2,2} = w11+w12+w21+w22 = 10  delta_{2,3} = w12 + w22 = 6
//   delta_{3,1} = w21 = 3      delta_{3,2} = w21 + w22 = 7              delta_{3,3} = w22 = 4
// dJ/dw_{i,j} = sum of the 2x2 window at (i,j): w11: 1+2+4+5 = 12, w12: 2+3+5+6 = 16,
//   w21: 4+5+7+8 = 24, w22: 5+6+8+9 = 28.
TEST(HandWorked, TextbookWithSumLoss) {
    Scene s = case_a();
    s.upstream.reset();
    const LayerResults r = compute_layer(s);
    EXPECT_EQ(r.loss_source, LossSource::Sum);
    ASSERT_TRUE(r.loss.has_value());
    EXPECT_EQ(*r.loss, 228);
    EXPECT_EQ(r.upstream, Matrix::Ones(2, 2));
    EXPECT_EQ(r.grad_input, (Matrix{{1, 3, 2}, {4, 10, 6}, {3, 7, 4}}));
    EXPECT_EQ(r.grad_input_gather, r.grad_input);
    EXPECT_EQ(r.grad_kernel, (Matrix{{12, 16}, {24, 28}}));
    EXPECT_EQ(objective(s, s.input, s.kernel), 228);
}

// Target T = | 36 47 ; 70 77 |: D = z^{l+1} - T = | 1 0 ; -3 0 |, J = 1/2 (1 + 9) = 5.
//   delta_{1,1} = D11 w11 = 1            delta_{1,2} = D12 w11 + D11 w12 = 0 + 2 = 2
//   delta_{1,3} = D12 w12 = 0            delta_{2,1} = D21 w11 + D11 w21 = -3 + 3 = 0
//   delta_{2,2} = D22 w11 + D21 w12 + D12 w21 + D11 w22 = 0 - 6 + 0 + 4 = -2
//   delta_{2,3} = D22 w12 + D12 w22 = 0  delta_{3,1} = D21 w21 = -9
//   delta_{3,2} = D22 w21 + D21 w22 = 0 - 12 = -12                 delta_{3,3} = D22 w22 = 0
// dJ/dw_{i,j} = D11 z_{i,j} + D21 z_{i+1,j} (D12 = D22 = 0):
//   w11: 1 - 3*4 = -11, w12: 2 - 3*5 = -13, w21: 4 - 3*7 = -17, w22: 5 - 3*8 = -19.
TEST(HandWorked, TextbookWithTargetLoss) {
    Scene s = case_a();
    s.upstream.reset();
    s.target = Matrix{{36, 47}, {70, 77}};
    const LayerResults r = compute_layer(s);
    EXPECT_EQ(r.loss_source, LossSource::Target);
    ASSERT_TRUE(r.loss.has_value());
    EXPECT_EQ(*r.loss, 5);
    EXPECT_EQ(r.upstream, (Matrix{{1, 0}, {-3, 0}}));
    EXPECT_EQ(r.grad_input, (Matrix{{1, 2, 0}, {0, -2, 0}, {-9, -12, 0}}));
    EXPECT_EQ(r.grad_kernel, (Matrix{{-11, -13}, {-17, -19}}));
    EXPECT_EQ(objective(s, s.input, s.kernel), 5);

    // Both given: DESIGN.md's "if the scene gives upstream, that is delta^{l+1}".
    s.upstream = Matrix{{1, -1}, {2, 3}};
    const LayerResults both = compute_layer(s);
    EXPECT_EQ(both.loss_source, LossSource::Upstream);
    EXPECT_FALSE(both.loss.has_value());
    EXPECT_EQ(both.grad_input, (Matrix{{1, 1, -2}, {5, 8, 2}, {6, 17, 12}}));
}

// [SECTION] B: stride 2
//
// z^l_{m,n} = 5(m-1) + n (1..25), w = | 1 0 -1 ; 2 1 0 ; 0 -1 3 |, D = | 1 -1 ; 2 3 |,
// s = 2. Ho = floor((5 - 2 - 1)/2) + 1 = 2. Window (p,q) starts at row 2(p-1)+1.
//   z^{l+1}_{1,1}: rows 1..3, cols 1..3: (1 - 3) + (12 + 7) + (-12 + 39) = -2 + 19 + 27 = 44
//   z^{l+1}_{1,2}: rows 1..3, cols 3..5: (3 - 5) + (16 + 9) + (-14 + 45) = -2 + 25 + 31 = 54
//   z^{l+1}_{2,1}: rows 3..5, cols 1..3: (11 - 13) + (32 + 17) + (-22 + 69) = -2 + 49 + 47 = 94
//   z^{l+1}_{2,2}: rows 3..5, cols 3..5: (13 - 15) + (36 + 19) + (-24 + 75) = -2 + 55 + 51 = 104
// Influence: tap i of row m reaches p = (m - i)/2 + 1 when whole and in 1..2, so row 1
// reaches p=1 by i=1; row 2 p=1 by i=2; row 3 p=2 by i=1 and p=1 by i=3; row 4 p=2 by
// i=2; row 5 p=2 by i=3 (columns alike). delta_{m,n} = sum of D_{p,q} w_{i,j}:
//   delta_{1,1} = D11 w11 = 1                delta_{1,2} = D11 w12 = 0
//   delta_{1,3} = D11 w13 + D12 w11 = -1 - 1 = -2
//   delta_{1,4} = D12 w12 = 0                delta_{1,5} = D12 w13 = (-1)(-1) = 1
//   delta_{2,1} = D11 w21 = 2                delta_{2,2} = D11 w22 = 1
//   delta_{2,3} = D11 w23 + D12 w21 = 0 - 2 = -2
//   delta_{2,4} = D12 w22 = -1               delta_{2,5} = D12 w23 = 0
//   delta_{3,1} = D11 w31 + D21 w11 = 0 + 2 = 2
//   delta_{3,2} = D11 w32 + D21 w12 = -1 + 0 = -1
//   delta_{3,3} = D11 w33 + D12 w31 + D21 w13 + D22 w11 = 3 + 0 - 2 + 3 = 4
//   delta_{3,4} = D12 w32 + D22 w12 = 1 + 0 = 1
//   delta_{3,5} = D12 w33 + D22 w13 = -3 - 3 = -6
//   delta_{4,1} = D21 w21 = 4                delta_{4,2} = D21 w22 = 2
//   delta_{4,3} = D21 w23 + D22 w21 = 0 + 6 = 6
//   delta_{4,4} = D22 w22 = 3                delta_{4,5} = D22 w23 = 0
//   delta_{5,1} = D21 w31 = 0                delta_{5,2} = D21 w32 = -2
//   delta_{5,3} = D21 w33 + D22 w31 = 6 + 0 = 6
//   delta_{5,4} = D22 w32 = -3               delta_{5,5} = D22 w33 = 9
// dJ/dw_{i,j} = sum_{p,q} D_{p,q} z_{2(p-1)+i, 2(q-1)+j}
//             = z_{i,j} - z_{i,j+2} + 2 z_{i+2,j} + 3 z_{i+2,j+2}
//             = z - (z + 2) + 2(z + 10) + 3(z + 12) = 5 z_{i,j} + 54:
//   | 59 64 69 ; 84 89 94 ; 109 114 119 |
Scene case_b() {
    Matrix z(5, 5);
    for (int m = 1; m <= 5; ++m)
        for (int n = 1; n <= 5; ++n) z(m - 1, n - 1) = 5 * (m - 1) + n;
    Scene s = make_scene(z, Matrix{{1, 0, -1}, {2, 1, 0}, {0, -1, 3}});
    s.upstream = Matrix{{1, -1}, {2, 3}};
    s.spec.stride = {2, 2};
    return s;
}

TEST(HandWorked, StrideTwo) {
    const Scene s = case_b();
    const LayerResults r = compute_layer(s);
    EXPECT_EQ(r.output, (Matrix{{44, 54}, {94, 104}}));
    const Matrix delta{{1, 0, -2, 0, 1},
                       {2, 1, -2, -1, 0},
                       {2, -1, 4, 1, -6},
                       {4, 2, 6, 3, 0},
                       {0, -2, 6, -3, 9}};
    EXPECT_EQ(r.grad_input, delta);
    EXPECT_EQ(r.grad_input_gather, delta);
    EXPECT_EQ(r.grad_kernel, (Matrix{{59, 64, 69}, {84, 89, 94}, {109, 114, 119}}));
    // Gather form: s-1 = 1 zero between entries gives | 1 0 -1 ; 0 0 0 ; 2 0 3 |, padded by
    // d(kh-1) = 2 on each side; nothing dropped (5 - 2 - 1 = 2 = 2*(2-1)): 7x7.
    Matrix padded = Matrix::Zero(7, 7);
    padded(2, 2) = 1;
    padded(2, 4) = -1;
    padded(4, 2) = 2;
    padded(4, 4) = 3;
    EXPECT_EQ(gather_padded_upstream(*s.upstream, {3, 3}, {5, 5}, s.spec), padded);
}

// 3x3 input, 2x2 kernel, stride 2: Ho = floor((3 - 1 - 1)/2) + 1 = 1. The floor drops the
// last row and column: they feed no output, so their delta is 0.
//   z^{l+1}_{1,1} = 1*1 + 2*2 + 4*3 + 5*4 = 37, D = | 2 |:
//   delta = | 2*1 2*2 0 ; 2*3 2*4 0 ; 0 0 0 | = | 2 4 0 ; 6 8 0 ; 0 0 0 |
//   dJ/dw_{i,j} = 2 z_{i,j} = | 2 4 ; 8 10 |
// Gather: D, then d(kh-1) = 1 zero on each side plus the 1 row/column the floor dropped
// (3 - 1 - 1 - 2*0 = 1): 4x4 with D at (2,2) one-based.
TEST(HandWorked, StrideTwoFloorDropsTheLastRowAndColumn) {
    Scene s = make_scene(Matrix{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, Matrix{{1, 2}, {3, 4}});
    s.spec.stride = {2, 2};
    s.upstream = Matrix{{2}};
    const LayerResults r = compute_layer(s);
    EXPECT_EQ(r.output, (Matrix{{37}}));
    EXPECT_EQ(r.grad_input, (Matrix{{2, 4, 0}, {6, 8, 0}, {0, 0, 0}}));
    EXPECT_EQ(r.grad_input_gather, r.grad_input);
    EXPECT_EQ(r.grad_kernel, (Matrix{{2, 4}, {8, 10}}));
    Matrix padded = Matrix::Zero(4, 4);
    padded(1, 1) = 2;
    EXPECT_EQ(gather_padded_upstream(*s.upstream, {2, 2}, {3, 3}, s.spec), padded);
}

// [SECTION] C: padding 1
//
// z^l = | 1 2 0 ; -1 3 1 ; 2 0 4 |, w = | 1 0 -1 ; 2 1 0 ; 0 -1 3 |, P = 1 ("same"):
// Ho = floor((3 + 2 - 2 - 1)/1) + 1 = 3. a-hat is z^l inside a frame of zeros.
//   z^{l+1}_{1,1} = w22 z11 + w23 z12 + w32 z21 + w33 z22 = 1 + 0 + 1 + 9 = 11
//   z^{l+1}_{2,2} = sum of all nine = 1 + 0 + 0 - 2 + 3 + 0 + 0 + 0 + 12 = 14
//   z^{l+1}_{3,3} = w11 z22 + w12 z23 + w21 z32 + w22 z33 = 3 + 0 + 0 + 4 = 7
//   (all nine: | 11 4 3 ; -5 14 5 ; -1 2 7 |)
// Influence: p = m + P - 1 - (i-1) + 1 = m - i + 2. With D = | 1 0 -1 ; 2 1 0 ; 0 -2 1 |:
//   delta_{1,1} = D22 w11 + D21 w12 + D12 w21 + D11 w22 = 1 + 0 + 0 + 1 = 2
//   delta_{1,2} = D23 w11 + D22 w12 + D21 w13 + D13 w21 + D12 w22 + D11 w23
//               = 0 + 0 - 2 - 2 + 0 + 0 = -4
//   delta_{1,3} = D23 w12 + D22 w13 + D13 w22 + D12 w23 = 0 - 1 - 1 + 0 = -2
//   delta_{2,1} = D32 w11 + D31 w12 + D22 w21 + D21 w22 + D12 w31 + D11 w32
//               = -2 + 0 + 2 + 2 + 0 - 1 = 1
//   delta_{2,2} = D33 w11 + D32 w12 + D31 w13 + D23 w21 + D22 w22 + D21 w23
//               + D13 w31 + D12 w32 + D11 w33 = 1 + 0 + 0 + 0 + 1 + 0 + 0 + 0 + 3 = 5
//   delta_{2,3} = D33 w12 + D32 w13 + D23 w22 + D22 w23 + D13 w32 + D12 w33
//               = 0 + 2 + 0 + 0 + 1 + 0 = 3
//   delta_{3,1} = D32 w21 + D31 w22 + D22 w31 + D21 w32 = -4 + 0 + 0 - 2 = -6
//   delta_{3,2} = D33 w21 + D32 w22 + D31 w23 + D23 w31 + D22 w32 + D21 w33
//               = 2 - 2 + 0 + 0 - 1 + 6 = 5
//   delta_{3,3} = D33 w22 + D32 w23 + D23 w32 + D22 w33 = 1 + 0 + 0 + 3 = 4
// dJ/dw_{i,j} = sum_{p,q} D_{p,q} a-hat_{p+i-1, q+j-1}:
//   w11 = D22 z11 + D23 z12 + D32 z21 + D33 z22 = 1 + 0 + 2 + 3 = 6
//   w22 = sum D_{p,q} z_{p,q} = 1 + 0 + 0 - 2 + 3 + 0 + 0 + 0 + 4 = 6
//   w33 = D11 z22 + D12 z23 + D21 z32 + D22 z33 = 3 + 0 + 0 + 4 = 7
//   (all nine: | 6 -1 2 ; -7 6 1 ; -1 2 7 |)
Scene case_c() {
    Scene s = make_scene(Matrix{{1, 2, 0}, {-1, 3, 1}, {2, 0, 4}},
                         Matrix{{1, 0, -1}, {2, 1, 0}, {0, -1, 3}});
    s.upstream = Matrix{{1, 0, -1}, {2, 1, 0}, {0, -2, 1}};
    s.spec.padding = {1, 1};
    return s;
}

TEST(HandWorked, PaddingOne) {
    const Scene s = case_c();
    const LayerResults r = compute_layer(s);
    EXPECT_EQ(r.output, (Matrix{{11, 4, 3}, {-5, 14, 5}, {-1, 2, 7}}));
    const Matrix delta{{2, -4, -2}, {1, 5, 3}, {-6, 5, 4}};
    EXPECT_EQ(r.grad_input, delta);
    EXPECT_EQ(r.grad_input_gather, delta);
    EXPECT_EQ(r.grad_kernel, (Matrix{{6, -1, 2}, {-7, 6, 1}, {-1, 2, 7}}));
}

// [SECTION] D: dilation 2
//
// z^l = | 1 2 0 3 ; 4 -1 2 1 ; 0 3 1 -2 ; 2 1 -1 5 |, w = | 1 2 ; 3 4 |, d = 2, so the
// kernel spans k' = 2 + (2-1)(2-1) = 3 rows: Ho = floor((4 - 2*1 - 1)/1) + 1 = 2.
//   z^{l+1}_{p,q} = z_{p,q} w11 + z_{p,q+2} w12 + z_{p+2,q} w21 + z_{p+2,q+2} w22
//   z^{l+1}_{1,1} = 1*1 + 0*2 + 0*3 + 1*4    = 5
//   z^{l+1}_{1,2} = 2*1 + 3*2 + 3*3 + (-2)*4 = 2 + 6 + 9 - 8 = 9
//   z^{l+1}_{2,1} = 4*1 + 2*2 + 2*3 + (-1)*4 = 4 + 4 + 6 - 4 = 10
//   z^{l+1}_{2,2} = -1*1 + 1*2 + 1*3 + 5*4   = -1 + 2 + 3 + 20 = 24
// Influence: p = m - 2(i-1) = m - 2i + 2. Row 1: i=1 -> 1 (i=2 -> -1, padding);
// row 2: i=1 -> 2; row 3: i=2 -> 1 (i=1 -> 3 > Ho); row 4: i=2 -> 2. Each element has
// exactly one tap inside; with D = | 1 -1 ; 2 3 |:
//   delta_{1,1} = D11 w11 = 1   delta_{1,2} = D12 w11 = -1  delta_{1,3} = D11 w12 = 2   delta_{1,4} = D12 w12 = -2
//   delta_{2,1} = D21 w11 = 2   delta_{2,2} = D22 w11 = 3   delta_{2,3} = D21 w12 = 4   delta_{2,4} = D22 w12 = 6
//   delta_{3,1} = D11 w21 = 3   delta_{3,2} = D12 w21 = -3  delta_{3,3} = D11 w22 = 4   delta_{3,4} = D12 w22 = -4
//   delta_{4,1} = D21 w21 = 6   delta_{4,2} = D22 w21 = 9   delta_{4,3} = D21 w22 = 8   delta_{4,4} = D22 w22 = 12
// dJ/dw_{i,j} = sum_{p,q} D_{p,q} z_{p+2(i-1), q+2(j-1)}:
//   w11 = 1*1 - 1*2 + 2*4 + 3*(-1)  = 4     w12 = 1*0 - 1*3 + 2*2 + 3*1    = 4
//   w21 = 1*0 - 1*3 + 2*2 + 3*1     = 4     w22 = 1*1 - 1*(-2) + 2*(-1) + 3*5 = 16
Scene case_d() {
    Scene s = make_scene(Matrix{{1, 2, 0, 3}, {4, -1, 2, 1}, {0, 3, 1, -2}, {2, 1, -1, 5}},
                         Matrix{{1, 2}, {3, 4}});
    s.upstream = Matrix{{1, -1}, {2, 3}};
    s.spec.dilation = {2, 2};
    return s;
}

TEST(HandWorked, DilationTwo) {
    const Scene s = case_d();
    const LayerResults r = compute_layer(s);
    EXPECT_EQ(r.output, (Matrix{{5, 9}, {10, 24}}));
    const Matrix delta{{1, -1, 2, -2}, {2, 3, 4, 6}, {3, -3, 4, -4}, {6, 9, 8, 12}};
    EXPECT_EQ(r.grad_input, delta);
    EXPECT_EQ(r.grad_input_gather, delta);
    EXPECT_EQ(r.grad_kernel, (Matrix{{4, 4}, {4, 16}}));
    // Gather: D padded by d(kh-1) = 2 on each side: 6x6 with D at rows/cols 3..4 one-based.
    Matrix padded = Matrix::Zero(6, 6);
    padded.block(2, 2, 2, 2) = Matrix{{1, -1}, {2, 3}};
    EXPECT_EQ(gather_padded_upstream(*s.upstream, {2, 2}, {4, 4}, s.spec), padded);
}

// [SECTION] E: true convolution mode
//
// Case A's numbers, mode "convolution": the forward pass applies rot180(w) = | 4 3 ; 2 1 |,
// i.e. the stored w_{i,j} sits at window offset (3-i, 3-j).
//   z^{l+1}_{1,1} = 1*4 + 2*3 + 4*2 + 5*1 = 4 + 6 + 8 + 5 = 23
//   z^{l+1}_{1,2} = 2*4 + 3*3 + 5*2 + 6*1 = 8 + 9 + 10 + 6 = 33
//   z^{l+1}_{2,1} = 4*4 + 5*3 + 7*2 + 8*1 = 16 + 15 + 14 + 8 = 53
//   z^{l+1}_{2,2} = 5*4 + 6*3 + 8*2 + 9*1 = 20 + 18 + 16 + 9 = 63
// Influence of z_{m,n} through the stored tap (i,j): p = m - (3-i) + 1 = m + i - 2, so
// delta_{m,n} = sum D_{m+i-2, n+j-2} w_{i,j} (a full correlation with the unrotated w):
//   delta_{1,1} = D11 w22 = 4                    delta_{1,2} = D11 w21 + D12 w22 = 3 - 4 = -1
//   delta_{1,3} = D12 w21 = -3                   delta_{2,1} = D11 w12 + D21 w22 = 2 + 8 = 10
//   delta_{2,2} = D11 w11 + D12 w12 + D21 w21 + D22 w22 = 1 - 2 + 6 + 12 = 17
//   delta_{2,3} = D12 w11 + D22 w21 = -1 + 9 = 8 delta_{3,1} = D21 w12 = 4
//   delta_{3,2} = D21 w11 + D22 w12 = 2 + 6 = 8  delta_{3,3} = D22 w11 = 3
// dJ/dw_{i,j} (stored) = sum D_{p,q} z_{p+2-i, q+2-j}: case A's kernel gradient rotated:
//   w11 = 1*5 - 1*6 + 2*8 + 3*9 = 42, w12 = 1*4 - 1*5 + 2*7 + 3*8 = 37,
//   w21 = 1*2 - 1*3 + 2*5 + 3*6 = 27, w22 = 1*1 - 1*2 + 2*4 + 3*5 = 22.
TEST(HandWorked, ConvolutionMode) {
    Scene s = case_a();
    s.spec.mode = ConvMode::Convolution;
    const LayerResults r = compute_layer(s);
    EXPECT_EQ(r.output, (Matrix{{23, 33}, {53, 63}}));
    const Matrix delta{{4, -1, -3}, {10, 17, 8}, {4, 8, 3}};
    EXPECT_EQ(r.grad_input, delta);
    EXPECT_EQ(r.grad_input_gather, delta);
    EXPECT_EQ(r.grad_kernel, (Matrix{{42, 37}, {27, 22}}));
    EXPECT_EQ(forward(s.input, s.kernel, s.spec), r.output);
}

// [SECTION] F: every activation's f'
//
// z^l = | -1 0 ; 0.5 2 |, w = | 3 | (1x1), D = | 1 2 ; -1 0.5 |. With a 1x1 kernel:
//   z^{l+1} = 3 f(z^l), delta^l = f'(z^l) * 3 * D, dJ/dw = sum D * f(z^l).
// identity: f' = 1:  delta = | 3 6 ; -3 1.5 |, output | -3 0 ; 1.5 6 |,
//           dJ/dw = -1 + 0 - 0.5 + 1 = -0.5
// relu: f = | 0 0 ; 0.5 2 |, f' = | 0 0 ; 1 1 | (relu'(0) = 0):
//           delta = | 0 0 ; -3 1.5 |, output | 0 0 ; 1.5 6 |, dJ/dw = -0.5 + 1 = 0.5
// sigmoid: s(z) = 1/(1+e^-z), s' = s(1-s): s(0) = 1/2, s'(0) = 1/4, so delta_{1,2} = 1/4*3*2 = 1.5
// tanh: tanh' = 1 - tanh^2: tanh'(0) = 1, so delta_{1,2} = 1*3*2 = 6.
TEST(HandWorked, EveryActivationDerivative) {
    Scene s = make_scene(Matrix{{-1, 0}, {0.5, 2}}, Matrix{{3}});
    s.upstream = Matrix{{1, 2}, {-1, 0.5}};

    s.activation = Activation::Identity;
    LayerResults r = compute_layer(s);
    EXPECT_EQ(r.output, (Matrix{{-3, 0}, {1.5, 6}}));
    EXPECT_EQ(r.grad_input, (Matrix{{3, 6}, {-3, 1.5}}));
    EXPECT_EQ(r.grad_kernel, (Matrix{{-0.5}}));

    s.activation = Activation::Relu;
    r = compute_layer(s);
    EXPECT_EQ(r.activated, (Matrix{{0, 0}, {0.5, 2}}));
    EXPECT_EQ(r.activation_slope, (Matrix{{0, 0}, {1, 1}}));
    EXPECT_EQ(r.output, (Matrix{{0, 0}, {1.5, 6}}));
    EXPECT_EQ(r.grad_input, (Matrix{{0, 0}, {-3, 1.5}}));
    EXPECT_EQ(r.grad_input_gather, r.grad_input);
    EXPECT_EQ(r.grad_kernel, (Matrix{{0.5}}));

    auto sig = [](double z) { return 1 / (1 + std::exp(-z)); };
    s.activation = Activation::Sigmoid;
    r = compute_layer(s);
    for (int k = 0; k < 4; ++k) {
        const double z = s.input(k / 2, k % 2), d = (*s.upstream)(k / 2, k % 2);
        const double slope = sig(z) * (1 - sig(z));
        EXPECT_NEAR(r.activated(k / 2, k % 2), sig(z), 1e-15);
        EXPECT_NEAR(r.activation_slope(k / 2, k % 2), slope, 1e-15);
        EXPECT_NEAR(r.output(k / 2, k % 2), 3 * sig(z), 1e-14);
        EXPECT_NEAR(r.grad_input(k / 2, k % 2), slope * 3 * d, 1e-14);
    }
    EXPECT_EQ(r.grad_input(0, 1), 1.5);  // s'(0) = 1/4 exactly
    // sigmoid'(-1) = 0.19661193324148185..., sigmoid'(2) = 0.10499358540350662...
    EXPECT_NEAR(r.activation_slope(0, 0), 0.19661193324148185, 1e-15);
    EXPECT_NEAR(r.activation_slope(1, 1), 0.10499358540350662, 1e-15);
    EXPECT_NEAR(r.grad_kernel(0, 0), sig(-1) + 2 * sig(0) - sig(0.5) + 0.5 * sig(2), 1e-14);

    s.activation = Activation::Tanh;
    r = compute_layer(s);
    for (int k = 0; k < 4; ++k) {
        const double z = s.input(k / 2, k % 2), d = (*s.upstream)(k / 2, k % 2);
        const double slope = 1 - std::tanh(z) * std::tanh(z);
        EXPECT_NEAR(r.activation_slope(k / 2, k % 2), slope, 1e-15);
        EXPECT_NEAR(r.grad_input(k / 2, k % 2), slope * 3 * d, 1e-14);
    }
    EXPECT_EQ(r.grad_input(0, 1), 6);  // tanh'(0) = 1
    // tanh'(-1) = 0.41997434161402614..., tanh'(2) = 0.07065082485316443...
    EXPECT_NEAR(r.activation_slope(0, 0), 0.41997434161402614, 1e-15);
    EXPECT_NEAR(r.activation_slope(1, 1), 0.07065082485316443, 1e-15);
}

TEST(HandWorked, ActivationFunctionsOneByOne) {
    EXPECT_EQ(activate(Activation::Identity, -1.5), -1.5);
    EXPECT_EQ(activation_derivative(Activation::Identity, -1.5), 1);
    EXPECT_EQ(activate(Activation::Relu, -1.5), 0);
    EXPECT_EQ(activate(Activation::Relu, 1.5), 1.5);
    EXPECT_EQ(activation_derivative(Activation::Relu, -1.5), 0);
    EXPECT_EQ(activation_derivative(Activation::Relu, 0), 0);  // PyTorch's convention
    EXPECT_EQ(activation_derivative(Activation::Relu, 1e-300), 1);
    EXPECT_EQ(activate(Activation::Sigmoid, 0), 0.5);
    EXPECT_EQ(activation_derivative(Activation::Sigmoid, 0), 0.25);
    EXPECT_EQ(activate(Activation::Tanh, 0), 0);
    EXPECT_EQ(activation_derivative(Activation::Tanh, 0), 1);
    // Far tails stay finite and tiny, never NaN.
    EXPECT_NEAR(activation_derivative(Activation::Sigmoid, -800), 0, 1e-300);
    EXPECT_NEAR(activation_derivative(Activation::Sigmoid, 800), 0, 1e-300);
    // sigma(-800) = 1/(1 + e^800) is below the smallest double: 0 (or a subnormal), not
    // NaN; sigma(800) rounds to 1. Range checks, which a NaN fails.
    EXPECT_GE(activate(Activation::Sigmoid, -800), 0.0);
    EXPECT_LE(activate(Activation::Sigmoid, -800), 1e-300);
    EXPECT_EQ(activate(Activation::Sigmoid, 800), 1.0);
    EXPECT_GE(activate(Activation::Tanh, -800), -1.0);
    EXPECT_LE(activate(Activation::Tanh, -800), -1.0 + 1e-15);
    EXPECT_TRUE(is_kink(Activation::Relu, 0));
    EXPECT_FALSE(is_kink(Activation::Relu, 1));
    EXPECT_FALSE(is_kink(Activation::Identity, 0));
    EXPECT_FALSE(is_kink(Activation::Tanh, 0));
    for (Activation f : {Activation::Identity, Activation::Relu, Activation::Sigmoid, Activation::Tanh}) {
        Activation parsed = Activation::Identity;
        ASSERT_TRUE(parse_activation(activation_name(f), &parsed));
        EXPECT_EQ(parsed, f);
    }
    Activation unused{};
    EXPECT_FALSE(parse_activation("softmax", &unused));
    EXPECT_STREQ(activation_name(Activation::Relu), "relu");
    EXPECT_STREQ(mode_name(ConvMode::Convolution), "convolution");
    EXPECT_STREQ(mode_name(ConvMode::CrossCorrelation), "cross-correlation");
}

// [SECTION] Influence taps: corner and centre
//
// Case A, corner z_{1,1}: p = m - i + 1 = 2 - i, q = 2 - j:
//   tap (1,1) -> (1,1): D11 w11 = 1*1 = 1
//   tap (1,2) -> (1,0): column 0 is outside 1..2 -> zero padding
//   tap (2,1) -> (0,1): zero padding;  tap (2,2) -> (0,0): zero padding
// Centre z_{2,2}: p = 3 - i, q = 3 - j, all four inside:
//   (1,1) -> (2,2): D22 w11 = 3*1 = 3     (1,2) -> (2,1): D21 w12 = 2*2 = 4
//   (2,1) -> (1,2): D12 w21 = -1*3 = -3   (2,2) -> (1,1): D11 w22 = 1*4 = 4   sum 8
bool mentions(const std::string& text, const std::string& word) {
    std::string lower;
    for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower.find(word) != std::string::npos;
}

TEST(HandWorkedInfluence, TextbookCornerAndCentre) {
    const Scene s = case_a();
    const Matrix& D = *s.upstream;
    const auto corner = influence_taps(s.kernel, D, {3, 3}, s.spec, {0, 0}, 1);
    ASSERT_EQ(corner.size(), 4u);
    EXPECT_EQ(corner[0].tap, (Cell{0, 0}));
    EXPECT_EQ(corner[0].reach, TapReach::Inside);
    ASSERT_TRUE(corner[0].output.has_value());
    EXPECT_EQ(*corner[0].output, (Cell{0, 0}));
    EXPECT_EQ(corner[0].weight, 1);
    EXPECT_EQ(corner[0].upstream, 1);
    EXPECT_EQ(corner[0].product, 1);
    EXPECT_EQ(corner[0].reason, "");
    for (int k = 1; k < 4; ++k) {
        SCOPED_TRACE(k);
        EXPECT_EQ(corner[std::size_t(k)].tap, (Cell{k / 2, k % 2}));
        EXPECT_EQ(corner[std::size_t(k)].reach, TapReach::ZeroPadding);
        EXPECT_FALSE(corner[std::size_t(k)].output.has_value());
        EXPECT_EQ(corner[std::size_t(k)].upstream, 0);
        EXPECT_EQ(corner[std::size_t(k)].product, 0);
        EXPECT_TRUE(mentions(corner[std::size_t(k)].reason, "padding")) << corner[std::size_t(k)].reason;
    }
    EXPECT_EQ(corner[1].row_reach, TapReach::Inside);       // p = 1
    EXPECT_EQ(corner[1].col_reach, TapReach::ZeroPadding);  // q = 0
    EXPECT_EQ(corner[1].weight, 2);
    for (const InfluenceTap& t : corner) EXPECT_EQ(t.index, "m-i+1, n-j+1");

    const auto centre = influence_taps(s.kernel, D, {3, 3}, s.spec, {1, 1}, 1);
    ASSERT_EQ(centre.size(), 4u);
    const Cell outputs[] = {{1, 1}, {1, 0}, {0, 1}, {0, 0}};
    const double products[] = {3, 4, -3, 4};
    double sum = 0;
    for (int k = 0; k < 4; ++k) {
        const InfluenceTap& t = centre[std::size_t(k)];
        EXPECT_EQ(t.reach, TapReach::Inside);
        ASSERT_TRUE(t.output.has_value());
        EXPECT_EQ(*t.output, outputs[k]);
        EXPECT_EQ(t.product, products[k]);
        EXPECT_EQ(t.index, "m-i+1, n-j+1");
        sum += t.product;
    }
    EXPECT_EQ(sum, 8);  // delta^l_{2,2} of case A

    // Zero-based, the same taps: "m-i, n-j", and nothing else changes.
    const auto zero = influence_taps(s.kernel, D, {3, 3}, s.spec, {1, 1}, 0);
    for (int k = 0; k < 4; ++k) {
        EXPECT_EQ(zero[std::size_t(k)].index, "m-i, n-j");
        EXPECT_EQ(zero[std::size_t(k)].output, centre[std::size_t(k)].output);
        EXPECT_EQ(zero[std::size_t(k)].product, centre[std::size_t(k)].product);
    }

    // Outside the input: InputError, never a crash.
    EXPECT_THROW(influence_taps(s.kernel, D, {3, 3}, s.spec, {3, 0}, 1), InputError);
    EXPECT_THROW(influence_taps(s.kernel, D, {3, 3}, s.spec, {0, -1}, 1), InputError);
}

// Case B (stride 2): p = (m - i)/2 + 1.
// Centre z_{3,3}: i=1 -> 2, i=2 -> 3/2 (between outputs 1 and 2: stride gap), i=3 -> 1.
//   taps (1,1)->(2,2), (1,3)->(2,1), (3,1)->(1,2), (3,3)->(1,1) inside; every tap with
//   i = 2 or j = 2 falls in a stride gap. Sum: D22 w11 + D21 w13 + D12 w31 + D11 w33
//   = 3 - 2 + 0 + 3 = 4 = delta_{3,3}.
// Element z_{2,2}: i=1 -> 3/2 (gap), i=2 -> 1, i=3 -> 1/2: only (2,2) -> (1,1) reaches,
//   delta_{2,2} = D11 w22 = 1.
TEST(HandWorkedInfluence, StrideGaps) {
    const Scene s = case_b();
    const Matrix& D = *s.upstream;
    const auto centre = influence_taps(s.kernel, D, {5, 5}, s.spec, {2, 2}, 1);
    ASSERT_EQ(centre.size(), 9u);
    double sum = 0;
    for (const InfluenceTap& t : centre) {
        const bool gap = t.tap.row == 1 || t.tap.col == 1;
        SCOPED_TRACE(std::to_string(t.tap.row) + "," + std::to_string(t.tap.col));
        EXPECT_EQ(t.index, "(m-i)/2+1, (n-j)/2+1");
        if (gap) {
            EXPECT_EQ(t.reach, TapReach::StrideGap);
            EXPECT_TRUE(mentions(t.reason, "stride")) << t.reason;
            EXPECT_FALSE(t.output.has_value());
        } else {
            EXPECT_EQ(t.reach, TapReach::Inside);
            ASSERT_TRUE(t.output.has_value());
            // i = 1 -> p = 2 (zero-based 1); i = 3 -> p = 1 (zero-based 0)
            EXPECT_EQ(*t.output, (Cell{t.tap.row == 0 ? 1 : 0, t.tap.col == 0 ? 1 : 0}));
        }
        sum += t.product;
    }
    EXPECT_EQ(sum, 4);
    EXPECT_EQ(centre[1].row_reach, TapReach::Inside);     // tap (1,2): p = 2
    EXPECT_EQ(centre[1].col_reach, TapReach::StrideGap);  // q = 3/2

    const auto off = influence_taps(s.kernel, D, {5, 5}, s.spec, {1, 1}, 1);
    for (const InfluenceTap& t : off) {
        if (t.tap == Cell{1, 1}) {
            EXPECT_EQ(t.reach, TapReach::Inside);
            EXPECT_EQ(t.output, std::optional<Cell>(Cell{0, 0}));
            EXPECT_EQ(t.product, 1);
        } else {
            EXPECT_NE(t.reach, TapReach::Inside);
            EXPECT_EQ(t.product, 0);
        }
    }
    // Corner z_{1,1}: tap (1,1) -> (1,1); tap (1,3) -> q = (1-3)/2+1 = 0, whole but outside:
    // zero padding; tap (1,2) -> q = 1/2, between the padding and output 1.
    const auto corner = influence_taps(s.kernel, D, {5, 5}, s.spec, {0, 0}, 1);
    EXPECT_EQ(corner[0].reach, TapReach::Inside);
    EXPECT_EQ(corner[2].reach, TapReach::ZeroPadding);
    EXPECT_EQ(corner[8].reach, TapReach::ZeroPadding);  // (3,3) -> (0,0)
    EXPECT_NE(corner[1].reach, TapReach::Inside);

    const auto zero = influence_taps(s.kernel, D, {5, 5}, s.spec, {2, 2}, 0);
    EXPECT_EQ(zero[0].index, "(m-i)/2, (n-j)/2");
}

// Case C (padding 1): p = m + 1 - 1 - (i-1) + 1 = m - i + 2.
// Corner z_{1,1}: i = 1 -> 2, i = 2 -> 1, i = 3 -> 0 (zero padding). Inside taps (1,1),
// (1,2), (2,1), (2,2) to (2,2), (2,1), (1,2), (1,1); the five with i = 3 or j = 3 fall
// into the padding. Centre z_{2,2}: i -> 4 - i, all nine inside.
// DESIGN.md is silent on a position that is both outside 1..Ho and not whole; convlens
// calls it zero padding (in the gather form that zero lies in the pad, not between two
// strided entries). 6x6 input, 3x3 kernel, stride 2: Ho = floor((6-3)/2)+1 = 2.
// z_{1,1}, tap (1,2): q = (1-2)/2+1 = 0.5, left of column 1 -> zero padding.
// z_{6,6}, tap (1,1): p = (6-1)/2+1 = 3.5, past row 2     -> zero padding.
// z_{2,2}, tap (1,1): p = (2-1)/2+1 = 1.5, between 1 and 2 -> stride gap.
TEST(HandWorkedInfluence, OutsideWinsOverNotWhole) {
    ConvSpec spec;
    spec.stride = {2, 2};
    const Matrix kernel = Matrix::Ones(3, 3), upstream = Matrix::Ones(2, 2);
    const auto taps = [&](int m, int n) {
        return influence_taps(kernel, upstream, {6, 6}, spec, {m - 1, n - 1}, 1);
    };
    EXPECT_EQ(taps(1, 1)[1].col_reach, TapReach::ZeroPadding);   // tap (1,2)
    EXPECT_EQ(taps(1, 1)[1].reach, TapReach::ZeroPadding);
    EXPECT_EQ(taps(6, 6)[0].row_reach, TapReach::ZeroPadding);   // tap (1,1)
    EXPECT_EQ(taps(2, 2)[0].row_reach, TapReach::StrideGap);     // tap (1,1)
    EXPECT_EQ(taps(2, 2)[0].reach, TapReach::StrideGap);
}

TEST(HandWorkedInfluence, PaddingCornerAndCentre) {
    const Scene s = case_c();
    const Matrix& D = *s.upstream;
    const auto corner = influence_taps(s.kernel, D, {3, 3}, s.spec, {0, 0}, 1);
    ASSERT_EQ(corner.size(), 9u);
    double sum = 0;
    for (const InfluenceTap& t : corner) {
        EXPECT_EQ(t.index, "m-i+2, n-j+2");
        if (t.tap.row == 2 || t.tap.col == 2) {
            EXPECT_EQ(t.reach, TapReach::ZeroPadding);
            EXPECT_TRUE(mentions(t.reason, "padding")) << t.reason;
        } else {
            EXPECT_EQ(t.reach, TapReach::Inside);
            EXPECT_EQ(t.output, std::optional<Cell>(Cell{1 - t.tap.row, 1 - t.tap.col}));
        }
        sum += t.product;
    }
    EXPECT_EQ(sum, 2);  // delta_{1,1} of case C
    const auto centre = influence_taps(s.kernel, D, {3, 3}, s.spec, {1, 1}, 1);
    sum = 0;
    for (const InfluenceTap& t : centre) {
        EXPECT_EQ(t.reach, TapReach::Inside);
        EXPECT_EQ(t.output, std::optional<Cell>(Cell{2 - t.tap.row, 2 - t.tap.col}));
        sum += t.product;
    }
    EXPECT_EQ(sum, 5);  // delta_{2,2} of case C
    EXPECT_EQ(influence_taps(s.kernel, D, {3, 3}, s.spec, {1, 1}, 0)[0].index, "m-i+1, n-j+1");
}

// Case D (dilation 2): p = m - 2i + 2. z_{3,3}: i = 1 -> 3 > Ho = 2 (padding), i = 2 -> 1.
// Only (2,2) -> (1,1): delta_{3,3} = D11 w22 = 4. Case E (convolution): p = m + i - 2.
// Corner z_{1,1}: only the stored tap (2,2) -> (1,1): delta_{1,1} = D11 w22 = 4.
TEST(HandWorkedInfluence, DilationAndConvolution) {
    const Scene d = case_d();
    const auto dil = influence_taps(d.kernel, *d.upstream, {4, 4}, d.spec, {2, 2}, 1);
    for (const InfluenceTap& t : dil) {
        EXPECT_EQ(t.index, "m-2i+2, n-2j+2");
        if (t.tap == Cell{1, 1}) {
            EXPECT_EQ(t.output, std::optional<Cell>(Cell{0, 0}));
            EXPECT_EQ(t.product, 4);
        } else {
            EXPECT_EQ(t.reach, TapReach::ZeroPadding);
        }
    }
    EXPECT_EQ(influence_taps(d.kernel, *d.upstream, {4, 4}, d.spec, {2, 2}, 0)[0].index,
              "m-2i, n-2j");

    Scene e = case_a();
    e.spec.mode = ConvMode::Convolution;
    const auto conv = influence_taps(e.kernel, *e.upstream, {3, 3}, e.spec, {0, 0}, 1);
    for (const InfluenceTap& t : conv) {
        EXPECT_EQ(t.index, "m+i-2, n+j-2");
        if (t.tap == Cell{1, 1}) {
            EXPECT_EQ(t.output, std::optional<Cell>(Cell{0, 0}));
            EXPECT_EQ(t.weight, 4);
            EXPECT_EQ(t.product, 4);
        } else {
            EXPECT_EQ(t.reach, TapReach::ZeroPadding);
        }
    }
    // Centre z_{2,2}: stored tap (i,j) -> (i,j) since p = 2 + i - 2 = i; sum 17.
    const auto mid = influence_taps(e.kernel, *e.upstream, {3, 3}, e.spec, {1, 1}, 1);
    double sum = 0;
    for (const InfluenceTap& t : mid) {
        EXPECT_EQ(t.output, std::optional<Cell>(t.tap));
        sum += t.product;
    }
    EXPECT_EQ(sum, 17);
    EXPECT_EQ(influence_taps(e.kernel, *e.upstream, {3, 3}, e.spec, {1, 1}, 0)[0].index,
              "m+i-1, n+j-1");
}

// [SECTION] AxisIndexMap: the general p = (m + P - 1 - d(i-1))/s + 1
//
// Cross-correlation, one-based: p = (m + P - 1 - d(i-1))/s + 1 = (m - d*i + (P + d - 1))/s + 1,
//   so sign -1, offset P + d - 1; zero-based (every +-1 gone): p = (m - d*i + P)/s.
// Convolution: the stored tap i sits at window offset kh - i + 1, so
//   p = (m + P - 1 - d(kh - i)) / s + 1 = (m + d*i + (P - 1 - d*kh))/s + 1, one-based;
//   p = (m + P - d(kh - 1 - i))/s = (m + d*i + (P - d(kh-1)))/s, zero-based.
// Worked strings:
//   s=1,P=0,d=1 (kh any):   "m-i+1" / "m-i"
//   s=2:                    "(m-i)/2+1" / "(m-i)/2"
//   P=1:                    "m-i+2" / "m-i+1"
//   d=2:                    "m-2i+2" / "m-2i"
//   s=2, P=1 (header):      "(m-i+1)/2+1"
//   s=2, P=1, d=2:          (m + 1 - 1 - 2i + 2)/2 + 1 = "(m-2i+2)/2+1" / (m - 2i + 1)/2 = "(m-2i+1)/2"
//   convolution, kh=2:      "m+i-2" / "m+i-1"
//   convolution kh=3, s=2, P=1, d=2: (m + 2i + 1 - 1 - 6)/2 + 1 = "(m+2i-6)/2+1"
//                                    / (m + 2i + 1 - 4)/2 = "(m+2i-3)/2"
struct MapCase {
    int stride, padding, dilation, kernel;
    ConvMode mode;
    const char* one_based;
    const char* zero_based;
};

ConvSpec spec_of(const MapCase& c) {
    ConvSpec sp;
    sp.stride = {c.stride, c.stride};
    sp.padding = {c.padding, c.padding};
    sp.dilation = {c.dilation, c.dilation};
    sp.mode = c.mode;
    return sp;
}

TEST(HandWorkedIndexMap, SymbolicExpressions) {
    const MapCase cases[] = {
        {1, 0, 1, 2, ConvMode::CrossCorrelation, "m-i+1", "m-i"},
        {1, 0, 1, 3, ConvMode::CrossCorrelation, "m-i+1", "m-i"},
        {2, 0, 1, 3, ConvMode::CrossCorrelation, "(m-i)/2+1", "(m-i)/2"},
        {1, 1, 1, 3, ConvMode::CrossCorrelation, "m-i+2", "m-i+1"},
        {1, 0, 2, 2, ConvMode::CrossCorrelation, "m-2i+2", "m-2i"},
        {2, 1, 1, 3, ConvMode::CrossCorrelation, "(m-i+1)/2+1", "(m-i+1)/2"},
        {2, 1, 2, 3, ConvMode::CrossCorrelation, "(m-2i+2)/2+1", "(m-2i+1)/2"},
        {1, 0, 1, 2, ConvMode::Convolution, "m+i-2", "m+i-1"},
        {1, 0, 1, 3, ConvMode::Convolution, "m+i-3", "m+i-2"},
        {2, 1, 2, 3, ConvMode::Convolution, "(m+2i-6)/2+1", "(m+2i-3)/2"},
    };
    for (const MapCase& c : cases) {
        const ConvSpec sp = spec_of(c);
        SCOPED_TRACE(std::string(c.one_based) + " | " + c.zero_based);
        const AxisIndexMap one = row_index_map(sp, c.kernel, 1);
        const AxisIndexMap zero = row_index_map(sp, c.kernel, 0);
        EXPECT_EQ(one.symbolic(), c.one_based);
        EXPECT_EQ(zero.symbolic(), c.zero_based);
        // Columns use n and j.
        std::string cols = c.one_based;
        for (char& ch : cols) ch = ch == 'm' ? 'n' : ch == 'i' ? 'j' : ch;
        EXPECT_EQ(col_index_map(sp, c.kernel, 1).symbolic(), cols);
        // The coefficients, as derived above.
        const bool conv = c.mode == ConvMode::Convolution;
        EXPECT_EQ(one.tap_sign, conv ? 1 : -1);
        EXPECT_EQ(one.dilation, c.dilation);
        EXPECT_EQ(one.stride, c.stride);
        EXPECT_EQ(one.base, 1);
        EXPECT_EQ(zero.base, 0);
        EXPECT_EQ(one.offset, conv ? c.padding - 1 - c.dilation * c.kernel
                                   : c.padding + c.dilation - 1);
        EXPECT_EQ(zero.offset, conv ? c.padding - c.dilation * (c.kernel - 1) : c.padding);
        EXPECT_EQ(one.element, 'm');
        EXPECT_EQ(one.tap, 'i');
    }
}

// evaluate / evaluate_real / substituted against p = (m + P - 1 - d(i-1))/s + 1 over a
// range of m and i, for both modes and both bases.
TEST(HandWorkedIndexMap, EvaluateAndSubstitute) {
    // The header's own example: "3-2+1" for m=3, i=2 in the simple case.
    const AxisIndexMap simple = row_index_map(ConvSpec{}, 3, 1);
    EXPECT_EQ(simple.substituted(3, 2), "3-2+1");
    EXPECT_EQ(simple.evaluate(3, 2), std::optional<int>(2));
    EXPECT_EQ(row_index_map(ConvSpec{}, 3, 0).substituted(2, 1), "2-1");

    // Stride 2 (case B): m=2, i=1 -> 3/2: not whole, between outputs 1 and 2.
    ConvSpec s2;
    s2.stride = {2, 2};
    const AxisIndexMap strided = row_index_map(s2, 3, 1);
    EXPECT_EQ(strided.evaluate(2, 1), std::nullopt);
    EXPECT_EQ(strided.evaluate_real(2, 1), 1.5);
    EXPECT_EQ(strided.evaluate(3, 1), std::optional<int>(2));
    EXPECT_EQ(strided.evaluate(1, 3), std::optional<int>(0));  // whole, in the padding
    EXPECT_EQ(strided.evaluate(3, 2), std::nullopt);           // 3/2
    EXPECT_EQ(strided.evaluate(1, 2), std::nullopt);           // 1/2: not 0, not 1

    for (int s = 1; s <= 3; ++s)
        for (int P = 0; P <= 2; ++P)
            for (int d = 1; d <= 3; ++d)
                for (int k = 1; k <= 4; ++k)
                    for (ConvMode mode : {ConvMode::CrossCorrelation, ConvMode::Convolution})
                        for (int base : {0, 1}) {
                            ConvSpec sp;
                            sp.stride = {s, s};
                            sp.padding = {P, P};
                            sp.dilation = {d, d};
                            sp.mode = mode;
                            const AxisIndexMap map = row_index_map(sp, k, base);
                            for (int m = base; m < base + 8; ++m)
                                for (int i = base; i < base + k; ++i) {
                                    // One-based m1, i1; window offset of the stored tap.
                                    const int m1 = m - base + 1, i1 = i - base + 1;
                                    const int offset1 = mode == ConvMode::Convolution ? k - i1 + 1 : i1;
                                    const int num = m1 + P - 1 - d * (offset1 - 1);
                                    const double real1 = double(num) / s + 1;
                                    const double expected = real1 - 1 + base;
                                    SCOPED_TRACE("s=" + std::to_string(s) + " P=" + std::to_string(P) +
                                                 " d=" + std::to_string(d) + " k=" + std::to_string(k) +
                                                 " " + mode_name(mode) + " base " + std::to_string(base) +
                                                 " m=" + std::to_string(m) + " i=" + std::to_string(i) +
                                                 ": " + map.symbolic() + " -> " + map.substituted(m, i));
                                    EXPECT_DOUBLE_EQ(map.evaluate_real(m, i), expected);
                                    if (num % s == 0) {
                                        EXPECT_EQ(map.evaluate(m, i),
                                                  std::optional<int>(num / s + base));
                                    } else {
                                        EXPECT_EQ(map.evaluate(m, i), std::nullopt);
                                    }
                                    double computed = 0;
                                    ASSERT_NO_THROW(computed = arithmetic(map.substituted(m, i)));
                                    EXPECT_DOUBLE_EQ(computed, expected);
                                    if (::testing::Test::HasFailure()) return;
                                }
                        }
}

}  // namespace
}  // namespace convlens
