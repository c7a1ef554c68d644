#include "engine/fast_conv.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "engine/layer.h"
#include "engine/row_threads.h"

// [SECTION] Runtime dispatch
// GCC compiles each CONVLENS_CLONES function three times and an ifunc resolver picks one
// at load time from what the processor reports. Other compilers (the clang fuzz build)
// get the baseline only, which is correct, just slower.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define CONVLENS_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CONVLENS_CLONES
#endif
#define CONVLENS_INLINE inline __attribute__((always_inline))

// The 4-double vectors below only pass between always-inlined helpers inside this file,
// never across a call the ABI governs; without this, the baseline clone warns that such a
// vector "changes the ABI". (core/CMakeLists.txt also passes -Wno-psabi; the clang fuzz
// build compiles this file with its own flags and relies on the pragma.)
#pragma GCC diagnostic ignored "-Wpsabi"

namespace convlens {

namespace {

// [SECTION] Vectors
// Four doubles: one AVX2 register (the AVX-512 clone uses the same width with twice the
// registers), two SSE2 ones in the baseline clone. Wider generic vectors were tried: GCC
// splits them through the stack on AVX2, several times slower.
typedef double Lanes __attribute__((vector_size(32)));
constexpr int kLanes = 4;
constexpr int kBlock = 8 * kLanes;  // output columns kept in registers by correlate_row

CONVLENS_INLINE Lanes load(const double* p) {
    Lanes v;
    std::memcpy(&v, p, sizeof v);  // unaligned load
    return v;
}
CONVLENS_INLINE void store(double* p, const Lanes& v) { std::memcpy(p, &v, sizeof v); }
CONVLENS_INLINE double lane_sum(const Lanes& v) { return (v[0] + v[1]) + (v[2] + v[3]); }

long round_up(long n, long multiple) { return (n + multiple - 1) / multiple * multiple; }

// [SECTION] Hot loops

// One output row: out[q] = sum_t weights[t] * sources[t][q] for q in 0..cols-1, 32
// columns at a time in registers. Every source row must be readable up to
// round_up(cols, kBlock) (the planes below are padded with zeros for that).
CONVLENS_CLONES
void correlate_row(const double* const* sources, const double* weights, int taps, double* out,
                   int cols) {
    for (int q = 0; q < cols; q += kBlock) {
        Lanes acc[8] = {};
        for (int t = 0; t < taps; ++t) {
            const double x = weights[t];
            const Lanes w = {x, x, x, x};
            const double* s = sources[t] + q;
#pragma GCC unroll 8
            for (int k = 0; k < 8; ++k) acc[k] += w * load(s + k * kLanes);
        }
        if (q + kBlock <= cols) {
#pragma GCC unroll 8
            for (int k = 0; k < 8; ++k) store(out + q + k * kLanes, acc[k]);
        } else {  // the row's last, partial block
            double tail[kBlock];
#pragma GCC unroll 8
            for (int k = 0; k < 8; ++k) store(tail + k * kLanes, acc[k]);
            std::memcpy(out + q, tail, sizeof(double) * std::size_t(cols - q));
        }
    }
}

constexpr int kDotStep = 4 * kLanes;  // dot_rows' lengths are whole multiples of this

// N taps share each upstream load; every tap keeps C = 8/N running sums so that about
// eight additions are in flight (one chain alone waits on the adder's latency: a lone
// tap, as the 9th of a 3x3 kernel, took as long as four).
template <int N>
CONVLENS_INLINE void dot_group(const double* up, long length, const double* const* sources,
                               double* sums) {
    constexpr int C = N == 1 ? 4 : N == 2 ? 4 : 2;
    constexpr int kStep = C * kLanes;
    static_assert(kDotStep % kStep == 0);
    Lanes acc[N][C] = {};
    for (long q = 0; q < length; q += kStep) {
#pragma GCC unroll 4
        for (int c = 0; c < C; ++c) {
            const Lanes u = load(up + q + c * kLanes);
#pragma GCC unroll 4
            for (int k = 0; k < N; ++k) acc[k][c] += u * load(sources[k] + q + c * kLanes);
        }
    }
    for (int k = 0; k < N; ++k) {
        Lanes total = acc[k][0];
        for (int c = 1; c < C; ++c) total += acc[k][c];
        sums[k] += lane_sum(total);
    }
}

// sums[t] += <up, sources[t]> over `length` values (a multiple of kDotStep; the upstream
// row is padded with zeros to that), four taps at a time so each upstream load serves four.
CONVLENS_CLONES
void dot_rows(const double* up, long length, const double* const* sources, int taps,
              double* sums) {
    int t = 0;
    for (; t + 4 <= taps; t += 4) dot_group<4>(up, length, sources + t, sums + t);
    switch (taps - t) {
        case 3: dot_group<3>(up, length, sources + t, sums + t); break;
        case 2: dot_group<2>(up, length, sources + t, sums + t); break;
        case 1: dot_group<1>(up, length, sources + t, sums + t); break;
        default: break;
    }
}

// [SECTION] Planes
// A zero-padded image with its columns dealt into `phases` planes by the column stride s:
// plane f holds columns f, f+s, f+2s, ... So column s*q + d*j, the one a tap j reads for
// output q, is entry q + (d*j)/s of plane (d*j) mod s: contiguous in q whatever the
// stride. Each plane row is padded with zeros to row_length, enough for whole blocks.
// The values live in a buffer the calling thread keeps between passes: a fresh megabyte per
// pass costs more in page faults than a 3x3 correlation over it (measured: 256x256 with a
// 3x3 kernel took four times as long).
struct Planes {
    double* values = nullptr;
    const double** sources = nullptr;  // where each (row, phase) is read from
    int phases = 1;
    long row_length = 0;
    double* row(int r, int phase) { return values + (long(r) * phases + phase) * row_length; }
    const double* source(int r, int phase) const { return sources[long(r) * phases + phase]; }
};

// Planes in `storage` (grown when too small, never shrunk), NOT zeroed: the builders below
// write every value once, zeros or data (zeroing first and copying over doubled the
// memory traffic, a third of a 3x3 pass). Every row is read from its own storage unless a
// builder points it elsewhere.
Planes make_planes(std::vector<double>& storage, int rows, int cols, int phases,
                   long min_row_length) {
    thread_local std::vector<const double*> table;
    Planes p;
    p.phases = phases;
    p.row_length = round_up(std::max<long>((cols + phases - 1) / phases, min_row_length), kLanes);
    const std::size_t size = std::size_t(rows) * std::size_t(phases) * std::size_t(p.row_length);
    if (storage.size() < size) storage.resize(size);
    p.values = storage.data();
    table.resize(std::size_t(rows) * std::size_t(phases));
    for (std::size_t k = 0; k < table.size(); ++k) table[k] = p.values + long(k) * p.row_length;
    p.sources = table.data();
    return p;
}

// Plane row (r, 0) of a one-phase image: zeros, then src[0..count) from column `at`
// (clipped to the row), then zeros.
void fill_row(Planes& p, int r, const double* src, int count, long at) {
    double* dst = p.row(r, 0);
    const long from = std::max<long>(0, at), to = std::min<long>(p.row_length, at + count);
    if (from >= to) {
        std::fill(dst, dst + p.row_length, 0.0);
        return;
    }
    std::fill(dst, dst + from, 0.0);
    std::memcpy(dst + from, src + (from - at), sizeof(double) * std::size_t(to - from));
    std::fill(dst + to, dst + p.row_length, 0.0);
}

void zero_rows(Planes& p, int r, int phase_rows) {
    std::fill(p.row(r, 0), p.row(r, 0) + long(phase_rows) * p.row_length, 0.0);
}

// The calling thread's buffers, reused by every pass it runs (workers only read them).
std::vector<double>& plane_storage() {
    thread_local std::vector<double> storage;
    return storage;
}
std::vector<double>& upstream_storage() {
    thread_local std::vector<double> storage;
    return storage;
}

// a-hat (a padded by P), dealt by the column stride.
Planes padded_input_planes(const Matrix& a, const ConvSpec& spec, long min_row_length) {
    const int s = spec.stride.cols;
    const int pr = spec.padding.rows, pc = spec.padding.cols;
    const int rows = int(a.rows()) + 2 * pr;
    Planes p = make_planes(plane_storage(), rows, int(a.cols()) + 2 * pc, s, min_row_length);
    // Without column padding or stride a's own rows serve, read in place (a block's last
    // columns run on into the next row), all but the last few, whose blocks would read
    // past the end of a.
    const bool in_place = s == 1 && pc == 0;
    const long end = long(a.rows()) * a.cols();
    for (int r = 0; r < rows; ++r) {
        const int m = r - pr;  // row of a, when inside
        if (m < 0 || m >= a.rows()) {
            zero_rows(p, r, s);
            continue;
        }
        const double* src = a.data() + long(m) * a.cols();
        if (in_place && long(m) * a.cols() + p.row_length <= end) {
            p.sources[r] = src;
            continue;
        }
        if (s == 1) {
            fill_row(p, r, src, int(a.cols()), pc);
            continue;
        }
        zero_rows(p, r, s);
        for (int c = 0; c < a.cols(); ++c) p.row(r, (c + pc) % s)[(c + pc) / s] = src[c];
    }
    return p;
}

// One tap of a correlation: its weight and where it reads relative to the output (row
// offset d*i; plane and column offset as in Planes).
struct Tap {
    double weight;
    int row_offset;
    int phase;
    int col_offset;
};

std::vector<Tap> taps_of(const Matrix& w, AxisPair dilation, int col_stride) {
    std::vector<Tap> taps;
    for (int i = 0; i < w.rows(); ++i)
        for (int j = 0; j < w.cols(); ++j) {
            const int col = dilation.cols * j;
            taps.push_back({w(i, j), dilation.rows * i, col % col_stride, col / col_stride});
        }
    return taps;
}

int max_col_offset(const std::vector<Tap>& taps) {
    int m = 0;
    for (const Tap& t : taps) m = std::max(m, t.col_offset);
    return m;
}

int threads_for(long work, int threads) {
    constexpr long kMinWorkPerThread = 1L << 15;  // below this, a second thread costs more
    if (work < 2 * kMinWorkPerThread) return 1;
    return threads <= 0 ? hardware_threads() : threads;
}

// Where correlate writes its output cell (p, q): row row0 + row_step*p, column
// col0 + col_step*q of a row-major grid `cols` wide. The input gradient's phases write
// every s-th cell; the other passes write every cell.
struct Placement {
    double* values;
    long cols;
    int row0 = 0, row_step = 1;
    int col0 = 0, col_step = 1;
};

// out(p, q) = sum_taps weight * planes(row_stride*p + row_offset, phase)[q + col_offset]:
// the valid correlation every pass but the kernel gradient reduces to. Rows are shared
// out among the threads in chunks.
void correlate(const Planes& planes, const std::vector<Tap>& taps, int row_stride, Shape out,
               int threads, const Placement& to) {
    const int n = int(taps.size());
    if (out.rows == 0 || out.cols == 0 || n == 0) return;  // the caller has zeroed
    threads = threads_for(long(out.rows) * out.cols * n, threads);
    const int chunks = threads == 1 ? 1 : std::min(out.rows, 4 * threads);
    const int rows_per_chunk = (out.rows + chunks - 1) / chunks;
    std::vector<double> weights(static_cast<std::size_t>(n));
    for (int t = 0; t < n; ++t) weights[std::size_t(t)] = taps[std::size_t(t)].weight;
    // Source pointers, and for spaced columns a row to scatter from, one set per chunk,
    // allocated here so the workers never allocate.
    std::vector<const double*> sources(std::size_t(chunks) * std::size_t(n));
    const bool spaced = to.col_step != 1;
    std::vector<double> rows(spaced ? std::size_t(chunks) * std::size_t(out.cols) : 0);
    run_chunks(chunks, threads, [&](int chunk) {
        const double** src = sources.data() + std::size_t(chunk) * std::size_t(n);
        // (rows is empty unless spaced: no offset from its null data, which is undefined)
        double* row = spaced ? rows.data() + std::size_t(chunk) * std::size_t(out.cols) : nullptr;
        const int end = std::min(out.rows, (chunk + 1) * rows_per_chunk);
        for (int p = chunk * rows_per_chunk; p < end; ++p) {
            for (int t = 0; t < n; ++t) {
                const Tap& tap = taps[std::size_t(t)];
                src[t] = planes.source(row_stride * p + tap.row_offset, tap.phase) + tap.col_offset;
            }
            double* dest = to.values + long(to.row0 + to.row_step * p) * to.cols + to.col0;
            if (!spaced) {
                correlate_row(src, weights.data(), n, dest, out.cols);
                continue;
            }
            correlate_row(src, weights.data(), n, row, out.cols);
            for (int q = 0; q < out.cols; ++q) dest[long(q) * to.col_step] = row[q];
        }
    });
}

void correlate(const Planes& planes, const std::vector<Tap>& taps, int row_stride, Shape out,
               int threads, Matrix& result) {
    result.resize(out.rows, out.cols);
    if (out.rows == 0 || out.cols == 0 || taps.empty()) {
        result.setZero();
        return;
    }
    correlate(planes, taps, row_stride, out, threads, Placement{result.data(), out.cols});
}

}  // namespace

// [SECTION] The three passes

long layer_work(Shape input, Shape kernel, const ConvSpec& spec) {
    const Shape out = output_shape(input, kernel, spec);
    return long(out.rows) * out.cols * kernel.rows * kernel.cols;
}

void fast_forward_into(const Matrix& activated_input, const Matrix& kernel, const ConvSpec& spec,
                       Matrix* output, int threads) {
    const Shape out = output_shape({int(activated_input.rows()), int(activated_input.cols())},
                                   {int(kernel.rows()), int(kernel.cols())}, spec);
    const std::vector<Tap> taps =
        taps_of(effective_kernel(kernel, spec.mode), spec.dilation, spec.stride.cols);
    const Planes planes = padded_input_planes(
        activated_input, spec, max_col_offset(taps) + round_up(out.cols, kBlock));
    correlate(planes, taps, spec.stride.rows, out, threads, *output);
}

void fast_grad_activated_into(const Matrix& upstream, const Matrix& kernel, Shape input,
                              const ConvSpec& spec, Matrix* grad, int threads) {
    const Shape k{int(kernel.rows()), int(kernel.cols())};
    const Shape out = output_shape(input, k, spec);
    if (upstream.rows() != out.rows || upstream.cols() != out.cols)
        throw InputError("fast_grad_activated: upstream is " + std::to_string(upstream.rows()) +
                         "x" + std::to_string(upstream.cols()) + ", the output " +
                         std::to_string(out.rows) + "x" + std::to_string(out.cols));
    // The gather form reads the stride-spread upstream, in which all but one value in s_h*s_w
    // is an inserted zero. Instead, element (m, n) of dJ/da^l is computed only from the taps
    // that land on real upstream values: with spread row r = top + s*p holding upstream row
    // p (top = d(kh-1) - P, the crop by P included), rotated tap i meets row m + d*i, a real
    // one exactly when m + d*i - top is a multiple of s, and then upstream row
    // (m + d*i - top)/s. So the elements whose row index has residue rho mod s share one
    // set of taps: for m = rho + s*u they read upstream row u + (rho + d*i - top)/s, a
    // dense correlation over the upstream itself. Likewise along columns. Each of the
    // s_h*s_w phases is one correlation with its own taps, written into every s-th cell.
    const AxisPair s = spec.stride, d = spec.dilation;
    const int top = d.rows * (k.rows - 1) - spec.padding.rows;
    const int left = d.cols * (k.cols - 1) - spec.padding.cols;
    const Matrix rotated = rotate180(effective_kernel(kernel, spec.mode));
    // Tap i's upstream row offset, ceil((d*i - top)/s), and the one phase rho it serves,
    // s*offset - (d*i - top); likewise for columns.
    const auto ceil_div = [](int x, int m) { return x >= 0 ? (x + m - 1) / m : -((-x) / m); };
    std::vector<int> row_offset(std::size_t(k.rows)), row_phase(std::size_t(k.rows));
    std::vector<int> col_offset(std::size_t(k.cols)), col_phase(std::size_t(k.cols));
    for (int i = 0; i < k.rows; ++i) {
        const int x = d.rows * i - top;
        row_offset[std::size_t(i)] = ceil_div(x, s.rows);
        row_phase[std::size_t(i)] = s.rows * row_offset[std::size_t(i)] - x;
    }
    for (int j = 0; j < k.cols; ++j) {
        const int x = d.cols * j - left;
        col_offset[std::size_t(j)] = ceil_div(x, s.cols);
        col_phase[std::size_t(j)] = s.cols * col_offset[std::size_t(j)] - x;
    }
    // One copy of the upstream with a zero border wide enough for every phase's reads.
    const auto [min_row, max_row] = std::minmax_element(row_offset.begin(), row_offset.end());
    const auto [min_col, max_col] = std::minmax_element(col_offset.begin(), col_offset.end());
    const int phase_rows = (input.rows + s.rows - 1) / s.rows;  // of phase 0, the most
    const int phase_cols = (input.cols + s.cols - 1) / s.cols;
    const int margin_top = std::max(0, -*min_row), margin_left = std::max(0, -*min_col);
    const int rows = margin_top + std::max(out.rows, phase_rows + std::max(0, *max_row));
    const long reach = margin_left + std::max(0, *max_col) + round_up(phase_cols, kBlock);
    Planes padded = make_planes(plane_storage(), rows, margin_left + out.cols, 1, reach);
    for (int r = 0; r < rows; ++r) {
        const int p = r - margin_top;
        if (p < 0 || p >= out.rows) zero_rows(padded, r, 1);
        else fill_row(padded, r, upstream.data() + long(p) * out.cols, out.cols, margin_left);
    }

    grad->resize(input.rows, input.cols);
    if (s.rows * s.cols > 1 || out.rows == 0 || out.cols == 0) grad->setZero();
    std::vector<Tap> taps;
    for (int rho = 0; rho < s.rows && rho < input.rows; ++rho)
        for (int sigma = 0; sigma < s.cols && sigma < input.cols; ++sigma) {
            taps.clear();
            for (int i = 0; i < k.rows; ++i) {
                if (row_phase[std::size_t(i)] != rho) continue;
                for (int j = 0; j < k.cols; ++j) {
                    if (col_phase[std::size_t(j)] != sigma) continue;
                    taps.push_back({rotated(i, j), margin_top + row_offset[std::size_t(i)], 0,
                                    margin_left + col_offset[std::size_t(j)]});
                }
            }
            const Shape phase{(input.rows - rho + s.rows - 1) / s.rows,
                              (input.cols - sigma + s.cols - 1) / s.cols};
            if (taps.empty()) {  // no tap of this phase meets a real value: zeros
                if (s.rows * s.cols == 1) grad->setZero();
                continue;
            }
            correlate(padded, taps, 1, phase, threads,
                      Placement{grad->data(), input.cols, rho, s.rows, sigma, s.cols});
        }
}

void fast_grad_kernel_into(const Matrix& activated_input, const Matrix& upstream, Shape kernel,
                           const ConvSpec& spec, Matrix* grad_out, int threads) {
    const Shape out = output_shape({int(activated_input.rows()), int(activated_input.cols())},
                                   kernel, spec);
    if (upstream.rows() != out.rows || upstream.cols() != out.cols)
        throw InputError("fast_grad_kernel: upstream is " + std::to_string(upstream.rows()) +
                         "x" + std::to_string(upstream.cols()) + ", the output " +
                         std::to_string(out.rows) + "x" + std::to_string(out.cols));
    // Taps with weight 0: only their read positions matter here.
    const std::vector<Tap> taps = taps_of(Matrix::Zero(kernel.rows, kernel.cols), spec.dilation,
                                          spec.stride.cols);
    const long length = round_up(out.cols, kDotStep);
    const Planes planes = padded_input_planes(activated_input, spec, max_col_offset(taps) + length);
    // The upstream with its rows padded by zeros to a whole number of vectors.
    // Each value is written once (a zero fill first and the copy over it doubled the traffic).
    std::vector<double>& up = upstream_storage();
    if (up.size() < std::size_t(out.rows) * std::size_t(length))
        up.resize(std::size_t(out.rows) * std::size_t(length));
    for (int p = 0; p < out.rows; ++p) {
        double* row = up.data() + p * length;
        std::memcpy(row, upstream.data() + long(p) * out.cols, sizeof(double) * std::size_t(out.cols));
        std::fill(row + out.cols, row + length, 0.0);
    }

    // Fixed blocks of output rows, each with its own partial sums, added in block order at
    // the end: the same numbers on 1 thread or 16.
    constexpr int kRowsPerBlock = 8;
    const int n = int(taps.size());
    const int blocks = std::max(1, (out.rows + kRowsPerBlock - 1) / kRowsPerBlock);
    std::vector<double> partial(std::size_t(blocks) * std::size_t(n), 0.0);
    std::vector<const double*> sources(std::size_t(blocks) * std::size_t(n));
    threads = threads_for(long(out.rows) * out.cols * n, threads);
    run_chunks(blocks, threads, [&](int block) {
        double* sums = partial.data() + std::size_t(block) * std::size_t(n);
        const double** src = sources.data() + std::size_t(block) * std::size_t(n);
        const int end = std::min(out.rows, (block + 1) * kRowsPerBlock);
        for (int p = block * kRowsPerBlock; p < end; ++p) {
            for (int t = 0; t < n; ++t) {
                const Tap& tap = taps[std::size_t(t)];
                src[t] = planes.source(spec.stride.rows * p + tap.row_offset, tap.phase) + tap.col_offset;
            }
            dot_rows(up.data() + p * length, length, src, n, sums);
        }
    });
    Matrix grad = Matrix::Zero(kernel.rows, kernel.cols);
    for (int b = 0; b < blocks; ++b)
        for (int t = 0; t < n; ++t) grad.data()[t] += partial[std::size_t(b) * std::size_t(n) + std::size_t(t)];
    // The sums differentiate the kernel as applied; map back to the stored taps.
    *grad_out = effective_kernel(grad, spec.mode);
}

Matrix fast_forward(const Matrix& activated_input, const Matrix& kernel, const ConvSpec& spec,
                    int threads) {
    Matrix output;
    fast_forward_into(activated_input, kernel, spec, &output, threads);
    return output;
}

Matrix fast_grad_activated(const Matrix& upstream, const Matrix& kernel, Shape input,
                           const ConvSpec& spec, int threads) {
    Matrix grad;
    fast_grad_activated_into(upstream, kernel, input, spec, &grad, threads);
    return grad;
}

Matrix fast_grad_kernel(const Matrix& activated_input, const Matrix& upstream, Shape kernel,
                        const ConvSpec& spec, int threads) {
    Matrix grad;
    fast_grad_kernel_into(activated_input, upstream, kernel, spec, &grad, threads);
    return grad;
}

}  // namespace convlens
