// The words the window and the slides say (issue 10, "Words that are wrong or stale") and
// the overflow check behind "results that are not finite are bad input": each expectation
// comes from the scene's geometry worked by hand, or from the engine's own numbers.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "canvas/layer_layout.h"
#include "engine/layer_results.h"
#include "lesson/gather_form.h"
#include "lesson/influence_focus.h"
#include "lesson/tex.h"
#include "scene/scene_json.h"

namespace convlens {
namespace {

Scene stride2_scene() { return load_scene(std::string(CONVLENS_ASSET_DIR) + "/scenes/stride2.json"); }

const InfluenceRow& row_of_tap(const InfluenceView& v, Cell tap) {
    for (const InfluenceRow& r : v.rows)
        if (r.tap.tap == tap) return r;
    throw std::runtime_error("no such tap");
}

// [SECTION] Index words

// Stride 2, 6x6 input, 3x3 kernel: Ho = floor((6 - 3) / 2) + 1 = 2. z^l_{m,n} goes to
// p = (m - 1 - (i - 1)) / 2 + 1 = (m-i)/2+1, not m-i+1.
TEST(Words, IntroductionUsesTheScenesIndexExpressions) {
    const std::vector<std::string> intro = influence_introduction_tex(stride2_scene());
    ASSERT_EQ(intro.size(), 2u);
    for (const std::string& line : intro) {
        EXPECT_NE(line.find("_{(m-i)/2+1,(n-j)/2+1}"), std::string::npos) << line;
        EXPECT_EQ(line.find("m-i+1"), std::string::npos) << line;
    }
    // The textbook case keeps the famous m-i+1.
    const std::vector<std::string> textbook = influence_introduction_tex(default_scene());
    EXPECT_NE(textbook[0].find("z^{l+1}_{m-i+1,n-j+1}"), std::string::npos) << textbook[0];
}

// z^l_{5,5} of the stride-2 scene through tap (1,1): p = (5-1)/2+1 = 3, whole, past
// Ho = 2. Through tap (2,2): (5-2)/2+1 = 2.5, between outputs but past 2 as well. Both lie
// outside 1..2, and both must say so; tap (3,3): (5-3)/2+1 = 2, inside, says nothing.
TEST(Words, EveryIndexOutsideTheOutputSaysSo) {
    const Scene scene = stride2_scene();
    const InfluenceView v = influence_view(scene, compute_layer(scene), Focus{GridId::Input, {4, 4}});
    EXPECT_EQ(row_of_tap(v, {0, 0}).substituted, "(5-1)/2+1 = 3 (outside 1..2), (5-1)/2+1 = 3 (outside 1..2)");
    EXPECT_EQ(row_of_tap(v, {1, 1}).substituted,
              "(5-2)/2+1 = 2.5 (outside 1..2), (5-2)/2+1 = 2.5 (outside 1..2)");
    EXPECT_EQ(row_of_tap(v, {2, 2}).substituted, "(5-3)/2+1 = 2, (5-3)/2+1 = 2");
}

// In convolution mode the gather slides the kernel as stored (the forward pass flipped
// it already); the checks must not call it rotated. The label follows what gather_kernel
// really is, for a kernel whose rotation differs from itself.
TEST(Words, ChecksNameTheKernelTheGatherUses) {
    for (ConvMode mode : {ConvMode::CrossCorrelation, ConvMode::Convolution}) {
        Scene scene = default_scene();
        scene.spec.mode = mode;
        const bool unrotated = gather_kernel(scene) == scene.kernel;
        const bool rotated = gather_kernel(scene) == scene.kernel.reverse();
        ASSERT_NE(unrotated, rotated);
        const std::string label = scatter_gather_check_label(mode);
        EXPECT_EQ(label.find("rotated kernel") != std::string::npos, rotated) << label;
        EXPECT_EQ(label.find("unrotated") != std::string::npos, unrotated) << label;
    }
}

// The kernel grid's title is the letter every formula writes: w_{i,j}, rot180(w), dJ/dw.
TEST(Words, KernelTitleIsTheLetterOfTheFormulas) {
    const Scene scene = default_scene();
    const LayerResults r = compute_layer(scene);
    const std::string w = grid_symbol_tex(GridId::Kernel);
    for (GridId focus : {GridId::Input, GridId::Output, GridId::Kernel}) {
        const InfluenceView v = influence_view(scene, r, Focus{focus, {1, 1}});
        EXPECT_NE(v.equation_tex.find(" " + w + "_{"), std::string::npos) << v.equation_tex;
        EXPECT_NE(v.equation_latex.find(w + "_{"), std::string::npos) << v.equation_latex;
    }
    EXPECT_EQ(grid_symbol_tex(GridId::RotatedKernel), "\\mathrm{rot180}(" + w + ")");
    EXPECT_EQ(grid_symbol_tex(GridId::GradKernel), "\\partial J / \\partial " + w);
}

// [SECTION] The hover view's copy: one aligned block

std::vector<std::string> rows_of(const std::string& block) {
    EXPECT_EQ(block.rfind("\\begin{aligned}\n", 0), 0u) << block;
    EXPECT_EQ(block.substr(block.size() - 14), "\n\\end{aligned}") << block;
    std::vector<std::string> rows;
    std::istringstream in(block);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("\\begin", 0) == 0 || line.rfind("\\end", 0) == 0) continue;
        if (line.size() >= 3 && line.substr(line.size() - 3) == " \\\\") line.resize(line.size() - 3);
        rows.push_back(line);
    }
    return rows;
}

// "2 \cdot (-1) + 3 \cdot 4" -> 2*(-1) + 3*4, read back from the text.
double value_of_products(std::string text) {
    for (char& c : text)
        if (c == '(' || c == ')') c = ' ';
    double sum = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t plus = text.find(" + ", start);
        if (plus == std::string::npos) plus = text.size();
        const std::string term = text.substr(start, plus - start);
        const std::size_t dot = term.find("\\cdot");
        EXPECT_NE(dot, std::string::npos) << term;
        sum += std::stod(term.substr(0, dot)) * std::stod(term.substr(dot + 5));
        start = plus + 3;
    }
    return sum;
}

// Default scene (s = d = 1, P = 0, identity), z^l_{3,2}: the general formula, then the
// taps with indices substituted, then their values, then delta^l_{3,2} from the engine.
TEST(Words, HoverCopyIsAnAlignedBlock) {
    const Scene scene = default_scene();
    const LayerResults r = compute_layer(scene);
    const InfluenceView v = influence_view(scene, r, Focus{GridId::Input, {2, 1}});
    const std::vector<std::string> rows = rows_of(v.equation_latex);
    ASSERT_EQ(rows.size(), 4u) << v.equation_latex;
    EXPECT_EQ(rows[0], "\\delta^{l}_{m,n} &= f'(z^{l}_{m,n}) \\sum_{i=1}^{3} \\sum_{j=1}^{3} "
                       "\\delta^{l+1}_{m-i+1,n-j+1} \\cdot w_{i,j}");
    // Taps that reach an output of 3x3 from (3,2): p = 3-i+1 in 1..3 for every i; q = 2-j+1
    // in 1..3 for j = 1, 2 only. So six terms, the first delta^{l+1}_{3,2} w_{1,1}.
    EXPECT_EQ(rows[1].rfind("\\delta^{l}_{3,2} &= \\delta^{l+1}_{3,2} \\cdot w_{1,1} + ", 0), 0u) << rows[1];
    int terms = 1;
    for (std::size_t at = rows[1].find(" + "); at != std::string::npos; at = rows[1].find(" + ", at + 1)) ++terms;
    EXPECT_EQ(terms, 6);
    ASSERT_EQ(rows[2].rfind("&= ", 0), 0u) << rows[2];
    EXPECT_NEAR(value_of_products(rows[2].substr(3)), r.grad_input(2, 1), 1e-9);
    EXPECT_EQ(rows[3], "&= " + std::to_string(static_cast<int>(r.grad_input(2, 1))));
}

TEST(Words, AlignedBlockAlignsAtTheFirstEqualsOutsideBraces) {
    EXPECT_EQ(aligned_block({"x_{a=b} = 1", "= 2", "", "3"}),
              "\\begin{aligned}\nx_{a=b} &= 1 \\\\\n&= 2 \\\\\n&3\n\\end{aligned}");
}

// [SECTION] Overflow

TEST(Overflow, CheckFiniteNamesTheFirstCellAndWhy) {
    Scene scene = default_scene();
    scene.input.setConstant(1e200);
    scene.kernel.setConstant(1e200);
    EXPECT_TRUE(may_overflow(scene));
    try {
        compute_layer(scene);
        FAIL() << "overflow accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("output z^{l+1}_{1,1} overflows a double (inf)", 0), 0u)
            << e.what();
    }
    EXPECT_THROW(check_results_fit(scene), InputError);
}

// may_overflow(scene) == false promises finite results: random scenes with values from
// 1e-3 to 1e200 (products up to 1e400, so both answers occur) hold it to that.
TEST(Overflow, MayOverflowIsNeverWrongWhenItSaysNo) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> exponent(-3, 200), sign(-1, 1);
    std::uniform_int_distribution<int> size(1, 4);
    int said_no = 0, said_yes = 0;
    for (int trial = 0; trial < 400; ++trial) {
        Scene s = default_scene();
        const double scale = std::pow(10.0, exponent(rng));
        s.input = Matrix(size(rng) + 3, size(rng) + 3);
        s.kernel = Matrix(size(rng), size(rng));
        for (Matrix* m : {&s.input, &s.kernel})
            for (Eigen::Index k = 0; k < m->size(); ++k) m->data()[k] = sign(rng) * scale;
        s.upstream.reset();
        s.activation = trial % 2 ? Activation::Relu : Activation::Identity;
        if (may_overflow(s)) {
            ++said_yes;
            continue;
        }
        ++said_no;
        EXPECT_NO_THROW(compute_layer(s)) << "trial " << trial;
    }
    EXPECT_GT(said_no, 50);
    EXPECT_GT(said_yes, 50);
}

}  // namespace
}  // namespace convlens
