// export_frames on hand-made display lists: PNG sizes and bytes, SVG text, PDF pages and
// text (poppler-utils), the cairo pixels where the list puts its cells, and failures that
// leave nothing behind.
#include <gif_lib.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "canvas/math_text.h"
#include "export/export_frames.h"
#include "util/atomic_write.h"
#include "scratch_dir.h"

namespace convlens {
namespace {

namespace fs = std::filesystem;

using TempDir = test_support::ScratchDir;  // a scratch folder for each test

std::string run(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return out;
    std::array<char, 4096> buffer{};
    std::size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
    ::pclose(pipe);
    return out;
}

const Color kWhite{1, 1, 1, 1};
const Color kBlack{0, 0, 0, 1};
const Color kRed{1, 0, 0, 1};
const Color kBlue{0, 0, 1, 1};

// Frame k: a 2x2 grid of 40-unit cells at (0,0), the cell (0,0) red, the others white,
// each holding its number 10k + cell; a dashed padding cell; an arrow; a heatmap; a label.
DisplayList frame(int k) {
    DisplayList list;
    list.width = 200;
    list.height = 100;
    list.background = kWhite;
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 2; ++c) {
            const Rect cell{c * 40.0f, r * 40.0f, 40, 40};
            list.items.push_back(DrawRect{cell, r == 0 && c == 0 ? kRed : kWhite, kBlack, 1, false});
            DrawText text;
            text.box = cell;
            text.text = parse_math(std::to_string(10 * k + 2 * r + c + 1));
            text.size = 14;
            text.color = kBlack;
            list.items.push_back(text);
        }
    list.items.push_back(DrawRect{{80, 0, 40, 40}, {0, 0, 0, 0}, kBlack, 1, true});
    list.items.push_back(DrawArrow{{20, 20}, {140, 60}, kBlue, 2, 8, false});
    // Values +1 over -1 on the scale 1: the map's two ends, red on top and blue below.
    DrawHeatmap heatmap;
    heatmap.rect = {160, 0, 40, 80};
    heatmap.rows = 2;
    heatmap.cols = 1;
    heatmap.scale = 1;
    heatmap.map = {kBlue, kWhite, kRed};
    heatmap.values = std::make_shared<const std::vector<float>>(std::vector<float>{1.0f, -1.0f});
    list.items.push_back(heatmap);
    DrawText label;
    label.box = {0, 85, 200, 15};
    label.text = parse_math("\\delta^{l+1}_{m,n}");
    label.size = 12;
    label.color = kBlack;
    label.align = HAlign::Left;
    list.items.push_back(label);
    return list;
}

std::vector<DisplayList> frames(int n) {
    std::vector<DisplayList> out;
    for (int k = 0; k < n; ++k) out.push_back(frame(k));
    return out;
}

// Width and height from a PNG's IHDR chunk (bytes 16..23, big-endian).
std::pair<int, int> png_size(const std::string& bytes) {
    const auto be32 = [&](std::size_t at) {
        return (static_cast<unsigned char>(bytes[at]) << 24) | (static_cast<unsigned char>(bytes[at + 1]) << 16) |
               (static_cast<unsigned char>(bytes[at + 2]) << 8) | static_cast<unsigned char>(bytes[at + 3]);
    };
    if (bytes.size() < 24 || bytes.compare(1, 3, "PNG") != 0) return {0, 0};
    return {be32(16), be32(20)};
}

TEST(ExportFrames, FrameNamesSortAsFramesDo) {
    EXPECT_EQ(frame_file_name(0, 25, ExportFormat::Png), "step-001.png");
    EXPECT_EQ(frame_file_name(24, 25, ExportFormat::Svg), "step-025.svg");
    EXPECT_EQ(frame_file_name(9, 1200, ExportFormat::Png), "step-0010.png");
}

TEST(ExportFrames, PngFramesFollowSizeAndScaleAndRepeatByteForByte) {
    TempDir dir;
    ExportOptions options;
    options.format = ExportFormat::Png;
    options.out = dir / "a";
    options.width = 320;
    options.height = 200;
    options.scale = 1.5f;
    const std::vector<std::string> written = export_frames(frames(3), options);
    ASSERT_EQ(written.size(), 3u);
    EXPECT_EQ(fs::path(written[2]).filename(), "step-003.png");
    const std::string first = read_file(written[0]);
    EXPECT_EQ(png_size(first), std::make_pair(480, 300));
    options.out = dir / "b";
    export_frames(frames(3), options);
    EXPECT_EQ(read_file(dir / "b/step-001.png"), first);
    EXPECT_NE(read_file(dir / "b/step-002.png"), first);  // frame 2 holds other numbers
    options.scale = 1;
    options.width = 1920;
    options.height = 1080;
    options.out = dir / "c";
    export_frames(frames(1), options);
    EXPECT_EQ(png_size(read_file(dir / "c/step-001.png")), std::make_pair(1920, 1080));
}

TEST(ExportFrames, PixelsShowTheCellsWhereTheFitPutsThem) {
    const std::vector<DisplayList> list = frames(1);
    const FrameFit fit = fit_frame(frames_bounds(list), 400, 300, 1);
    // The content is 200 units wide (heatmap's right edge) and about 100 tall: width
    // decides, 400 - 2 * 0.04 * 300 = 376 device pixels for 200 units.
    EXPECT_NEAR(fit.scale, 376.0f / 200.0f, 1e-3);
    const RgbaImage image = render_rgba(list.front(), fit, false);
    ASSERT_EQ(image.width, 400);
    const auto pixel = [&](Point layout) {
        const Point p = fit.to_device(layout);
        const std::size_t at = (static_cast<std::size_t>(p.y) * 400 + static_cast<std::size_t>(p.x)) * 4;
        return std::array<int, 4>{image.rgba[at], image.rgba[at + 1], image.rgba[at + 2], image.rgba[at + 3]};
    };
    // Red cell (0,0) near its corner (the number sits in the middle), white cell (1,1),
    // heatmap red on top and blue below, white background far from everything.
    EXPECT_EQ(pixel({4, 4}), (std::array<int, 4>{255, 0, 0, 255}));
    EXPECT_EQ(pixel({76, 44}), (std::array<int, 4>{255, 255, 255, 255}));
    EXPECT_EQ(pixel({180, 20}), (std::array<int, 4>{255, 0, 0, 255}));
    EXPECT_EQ(pixel({180, 60}), (std::array<int, 4>{0, 0, 255, 255}));
    // Transparent: no background, the red cell still opaque.
    const RgbaImage clear = render_rgba(list.front(), fit, true);
    const Point far = fit.to_device({130, 10});
    EXPECT_EQ(clear.rgba[(static_cast<std::size_t>(far.y) * 400 + static_cast<std::size_t>(far.x)) * 4 + 3], 0);
}

TEST(ExportFrames, SvgIsXmlAndKeepsTheNumbersAsText) {
    TempDir dir;
    ExportOptions options;
    options.format = ExportFormat::Svg;
    options.out = dir / "svg";
    options.title = "forward <pass> & more";
    const std::vector<std::string> written = export_frames(frames(2), options);
    ASSERT_EQ(written.size(), 2u);
    const std::string svg = read_file(written[1]);
    // Frame 1 holds 11..14 as text elements; frame 0's 1..4 are not there.
    for (const char* value : {">11<", ">12<", ">13<", ">14<"}) EXPECT_NE(svg.find(value), std::string::npos) << value;
    EXPECT_EQ(svg.find(">1<"), std::string::npos);
    EXPECT_NE(svg.find("δ"), std::string::npos);  // the label stays Unicode text
    EXPECT_NE(svg.find("&lt;pass&gt; &amp;"), std::string::npos);
    // A real XML parser accepts it and counts the cells' text elements.
    const std::string count = run("python3 -c \"import sys, xml.etree.ElementTree as E; "
                                  "r = E.parse(sys.argv[1]).getroot(); "
                                  "print(len(r.findall('{http://www.w3.org/2000/svg}text')))\" " +
                                  written[1]);
    EXPECT_EQ(count, "5\n");
}

TEST(ExportFrames, PdfHasOnePagePerFrameAndExtractableText) {
    TempDir dir;
    ExportOptions options;
    options.format = ExportFormat::Pdf;
    options.out = dir / "lesson.pdf";
    export_frames(frames(3), options);
    const std::string info = run("pdfinfo " + options.out);
    std::istringstream lines(info);
    std::string line, pages, page_size;
    while (std::getline(lines, line)) {
        if (line.rfind("Pages:", 0) == 0) pages = line.substr(line.find_last_of(' ') + 1);
        if (line.rfind("Page size:", 0) == 0) page_size = line;
    }
    EXPECT_EQ(pages, "3") << info;
    EXPECT_NE(page_size.find("1920 x 1080 pts"), std::string::npos) << info;
    const std::string page3 = run("pdftotext -f 3 -l 3 " + options.out + " -");
    for (const char* value : {"21", "22", "23", "24"}) EXPECT_NE(page3.find(value), std::string::npos) << page3;
    EXPECT_EQ(page3.find("11"), std::string::npos);
}

TEST(ExportFrames, GifLoopsWithOneFramePerStepAndKeepsFlatColoursExact) {
    TempDir dir;
    ExportOptions options;
    options.format = ExportFormat::Gif;
    options.out = dir / "lesson.gif";
    options.width = 400;
    options.height = 300;
    options.fps = 2;
    const std::vector<DisplayList> list = frames(3);
    export_frames(list, options);
    int error = 0;
    GifFileType* gif = DGifOpenFileName(options.out.c_str(), &error);
    ASSERT_NE(gif, nullptr);
    ASSERT_EQ(DGifSlurp(gif), GIF_OK);
    EXPECT_EQ(gif->ImageCount, 3);
    EXPECT_EQ(gif->SWidth, 400);
    EXPECT_EQ(gif->SHeight, 300);
    bool loops = false;
    for (int k = 0; k < gif->SavedImages[0].ExtensionBlockCount; ++k) {
        const ExtensionBlock& e = gif->SavedImages[0].ExtensionBlocks[k];
        if (e.Function == APPLICATION_EXT_FUNC_CODE && e.ByteCount == 11 &&
            std::string(reinterpret_cast<const char*>(e.Bytes), 11) == "NETSCAPE2.0")
            loops = true;
    }
    EXPECT_TRUE(loops);
    GraphicsControlBlock gcb;
    ASSERT_EQ(DGifSavedExtensionToGCB(gif, 1, &gcb), GIF_OK);
    EXPECT_EQ(gcb.DelayTime, 50);  // 2 steps per second
    // The first frame is whole; its flat colours are the cairo frame's exactly.
    const SavedImage& first = gif->SavedImages[0];
    ASSERT_EQ(first.ImageDesc.Width, 400);
    const ColorMapObject* map = first.ImageDesc.ColorMap ? first.ImageDesc.ColorMap : gif->SColorMap;
    const FrameFit fit = fit_frame(frames_bounds(list), 400, 300, 1);
    const RgbaImage image = render_rgba(list.front(), fit, false);
    for (Point at : {Point{4, 4}, Point{76, 44}, Point{130, 10}, Point{180, 60}}) {
        const Point p = fit.to_device(at);
        const std::size_t k = static_cast<std::size_t>(p.y) * 400 + static_cast<std::size_t>(p.x);
        const GifColorType c = map->Colors[first.RasterBits[k]];
        EXPECT_EQ((std::array<int, 3>{c.Red, c.Green, c.Blue}),
                  (std::array<int, 3>{image.rgba[4 * k], image.rgba[4 * k + 1], image.rgba[4 * k + 2]}))
            << at.x << "," << at.y;
    }
    DGifCloseFile(gif, &error);
}

TEST(ExportFrames, FailuresLeaveNothingBehind) {
    TempDir dir;
    ExportOptions options;
    options.format = ExportFormat::Pdf;
    options.out = dir / "missing/lesson.pdf";
    EXPECT_THROW(export_frames(frames(2), options), InputError);
    EXPECT_FALSE(fs::exists(dir / "missing"));
    // A folder export stopped after two frames removes them and the folder it made.
    options.format = ExportFormat::Png;
    options.out = dir / "frames";
    int calls = 0;
    EXPECT_THROW(export_frames(frames(4), options, [&](int done, int total) {
                     ++calls;
                     EXPECT_EQ(total, 4);
                     return done < 2;
                 }),
                 ExportCancelled);
    EXPECT_EQ(calls, 2);
    EXPECT_FALSE(fs::exists(options.out));
    // An existing folder stays, emptied of what this export wrote; other files survive.
    fs::create_directories(options.out);
    write_file_atomically(dir / "frames/notes.txt", "keep");
    EXPECT_THROW(export_frames(frames(4), options, [](int done, int) { return done < 3; }), ExportCancelled);
    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(options.out)) left.push_back(e.path().filename().string());
    EXPECT_EQ(left, std::vector<std::string>{"notes.txt"});
    // Out of range sizes and scales, frames into a file, a file into a folder.
    options.width = 8;
    EXPECT_THROW(export_frames(frames(1), options), InputError);
    options.width = 640;
    options.scale = 0;
    EXPECT_THROW(export_frames(frames(1), options), InputError);
    options.scale = 1;
    options.out = dir / "frames/notes.txt";
    EXPECT_THROW(export_frames(frames(1), options), InputError);
    options.format = ExportFormat::Pdf;
    options.out = dir / "frames";
    EXPECT_THROW(export_frames(frames(1), options), InputError);
    EXPECT_EQ(read_file(dir / "frames/notes.txt"), "keep");
}


// The PNG encoder writes its own zlib stream (runs of the byte or pixel before): decoded
// by an independent reader (Python's zlib under tests/gui/png_check.py), every pixel of
// every frame is the cairo frame's, opaque (RGB) and transparent (RGBA, straight alpha).
TEST(ExportFrames, PngPixelsDecodeToTheFramePixels) {
    TempDir dir;
    // More frames than threads: each thread paints several frames over one surface, so a
    // frame left over from the last one (transparent frames clear it first) would show.
    const std::vector<DisplayList> list = frames(5);
    for (const bool transparent : {false, true}) {
        ExportOptions options;
        options.format = ExportFormat::Png;
        options.width = 300;
        options.height = 160;
        options.transparent = transparent;
        options.out = dir / (transparent ? "rgba" : "rgb");
        const std::vector<std::string> written = export_frames(list, options);
        ASSERT_EQ(written.size(), list.size());
        const FrameFit fit = fit_frame(frames_bounds(list), 300, 160, 1);
        for (std::size_t k = 0; k < written.size(); ++k) {
            const std::string raw = dir / ("raw-" + std::to_string(transparent) + std::to_string(k));
            run("python3 -c \"import sys; sys.path.insert(0, '" CONVLENS_ASSET_DIR "/../tests/gui'); "
                "from png_check import read_png; w, h, c, rows = read_png(sys.argv[1]); "
                "open(sys.argv[2], 'wb').write(bytes([w >> 8, w & 255, h >> 8, h & 255, c]) + "
                "b''.join(bytes(r) for r in rows))\" " + written[k] + " " + raw);
            const std::string decoded = read_file(raw);
            const RgbaImage image = render_rgba(list[k], fit, transparent);
            const std::size_t channels = transparent ? 4 : 3;
            ASSERT_EQ(decoded.size(), 5 + 300u * 160u * channels) << written[k];
            EXPECT_EQ(static_cast<unsigned char>(decoded[4]), channels);
            std::size_t differing = 0;
            for (std::size_t p = 0; p < 300u * 160u; ++p)
                for (std::size_t ch = 0; ch < channels; ++ch)
                    if (static_cast<unsigned char>(decoded[5 + p * channels + ch]) != image.rgba[4 * p + ch]) ++differing;
            EXPECT_EQ(differing, 0u) << written[k];
        }
    }
}
}  // namespace
}  // namespace convlens
