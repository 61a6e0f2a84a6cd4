// A CPU stand-in for the part of CUDA's <mma.h> (nvcuda::wmma) that the translator's TF32 convolution uses: 16x16x8
// fragments of precision::tf32 (matrix_a, matrix_b, row- or column-major) and float accumulators, fill_fragment,
// load_matrix_sync, mma_sync, store_matrix_sync and __float_to_tf32. Test-only, with include/cuda_runtime.h (see README.md).
//
// On a GPU a fragment is spread over the 32 lanes of a warp in a layout the hardware chooses. Here every lane holds the
// whole tile (num_elements = the tile's element count) and computes it by itself; all lanes of a warp load the same shared
// memory, so they compute and store the same values, which is functionally what the warp-wide operations do. The
// generated kernel never reads fragment elements by index, so the layout difference cannot hide an error.
//
// Numerics: __float_to_tf32 rounds like the hardware's cvt.rna.tf32.f32 (to nearest, ties away from zero, 10 explicit
// mantissa bits kept, the low 13 bits zero; NaN and infinities unchanged), and mma_sync multiplies the operands' TF32
// values (exact in fp32: 11 x 11 significant bits) and accumulates in fp32 in k order. A tensor core may sum in another
// order or with other intermediate rounding, so emulated errors are representative, not bit-exact.
#ifndef KFORGE_MMA_EMULATION_H
#define KFORGE_MMA_EMULATION_H

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <type_traits>

#ifndef __align__
#define __align__(n) __attribute__((aligned(n)))
#endif

#ifndef __trap
inline void __trap() { std::abort(); }
#endif

namespace nvcuda {
namespace wmma {

struct matrix_a {};
struct matrix_b {};
struct accumulator {};
struct row_major {};
struct col_major {};

namespace precision {
struct tf32 {};
}  // namespace precision

enum layout_t { mem_row_major, mem_col_major };

// cvt.rna.tf32.f32: keep 10 explicit mantissa bits, rounding the 13 dropped bits to nearest with ties away from zero
// (adding half an ulp to the magnitude, then truncating, does exactly that in sign-magnitude bits).
inline float __float_to_tf32(float in) {
    uint32_t bits;
    std::memcpy(&bits, &in, sizeof bits);
    if ((bits & 0x7f800000u) != 0x7f800000u) {  // finite: round; NaN and infinities pass unchanged
        bits = (bits + 0x1000u) & 0xffffe000u;
    }
    float out;
    std::memcpy(&out, &bits, sizeof out);
    return out;
}

template <typename Use, int M, int N, int K, typename T, typename Layout = void>
class fragment;

// Operands of m16n16k8 tf32: A is M x K (16 x 8), B is K x N (8 x 16); element (r, c) at x[r * cols + c] whatever the memory layout.
template <typename Layout>
class fragment<matrix_a, 16, 16, 8, precision::tf32, Layout> {
public:
    static constexpr int rows = 16, cols = 8, num_elements = rows * cols;
    float x[num_elements];
};

template <typename Layout>
class fragment<matrix_b, 16, 16, 8, precision::tf32, Layout> {
public:
    static constexpr int rows = 8, cols = 16, num_elements = rows * cols;
    float x[num_elements];
};

template <>
class fragment<accumulator, 16, 16, 8, float, void> {
public:
    static constexpr int rows = 16, cols = 16, num_elements = rows * cols;
    float x[num_elements];
};

template <typename Use, int M, int N, int K, typename T, typename Layout>
inline void fill_fragment(fragment<Use, M, N, K, T, Layout>& f, float value) {
    for (float& element : f.x) element = value;
}

namespace detail {

// The fragment of a row- or column-major tile at p with leading dimension ldm (in elements, as CUDA's wmma takes it).
template <typename Fragment>
inline void load(Fragment& f, const float* p, unsigned ldm, bool row_major_layout) {
    for (int r = 0; r < Fragment::rows; ++r)
        for (int c = 0; c < Fragment::cols; ++c) f.x[r * Fragment::cols + c] = row_major_layout ? p[r * ldm + c] : p[c * ldm + r];
}

// wmma's own preconditions: a 256-bit aligned pointer and a leading dimension a multiple of 4 for 32-bit elements.
inline void check(const void* p, unsigned ldm) {
    if (reinterpret_cast<uintptr_t>(p) % 32 != 0 || ldm % 4 != 0) std::abort();
}

}  // namespace detail

template <typename Layout>
inline void load_matrix_sync(fragment<matrix_a, 16, 16, 8, precision::tf32, Layout>& a, const float* p, unsigned ldm) {
    detail::check(p, ldm);
    detail::load(a, p, ldm, std::is_same<Layout, row_major>::value);
}

template <typename Layout>
inline void load_matrix_sync(fragment<matrix_b, 16, 16, 8, precision::tf32, Layout>& b, const float* p, unsigned ldm) {
    detail::check(p, ldm);
    detail::load(b, p, ldm, std::is_same<Layout, row_major>::value);
}

inline void store_matrix_sync(float* p, const fragment<accumulator, 16, 16, 8, float, void>& c, unsigned ldm, layout_t layout) {
    detail::check(p, ldm);
    for (int r = 0; r < 16; ++r)
        for (int col = 0; col < 16; ++col) (layout == mem_row_major ? p[r * ldm + col] : p[col * ldm + r]) = c.x[r * 16 + col];
}

// d = a b + c; a hardware tensor core ignores an operand's low 13 bits, so they are dropped here too (a kernel that
// forgot __float_to_tf32 would see truncation, as on the GPU).
template <typename LayoutA, typename LayoutB>
inline void mma_sync(fragment<accumulator, 16, 16, 8, float, void>& d, const fragment<matrix_a, 16, 16, 8, precision::tf32, LayoutA>& a,
                     const fragment<matrix_b, 16, 16, 8, precision::tf32, LayoutB>& b, const fragment<accumulator, 16, 16, 8, float, void>& c) {
    auto tf32_bits = [](float v) {
        uint32_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        bits &= 0xffffe000u;
        std::memcpy(&v, &bits, sizeof v);
        return v;
    };
    float result[16 * 16];
    for (int r = 0; r < 16; ++r)
        for (int col = 0; col < 16; ++col) {
            float sum = c.x[r * 16 + col];
            for (int k = 0; k < 8; ++k) sum += tf32_bits(a.x[r * 8 + k]) * tf32_bits(b.x[k * 16 + col]);
            result[r * 16 + col] = sum;
        }
    std::memcpy(d.x, result, sizeof result);
}

}  // namespace wmma
}  // namespace nvcuda

#endif
