using KernelForge.Evaluation.Validation;

namespace KernelForge.Evaluation.Tests.Validation;

public sealed class PtxTemplateTests
{
    [Theory]
    [InlineData("")]
    [InlineData("mov.u32 %0, %%laneid;")]
    [InlineData("mov.u64 %0, %%globaltimer;")]
    [InlineData("{\n .reg .b32 r<2>;\n add.s32 r0, %1, %2;\n mov.b32 %0, r0;\n}")]
    [InlineData("@!p bra DONE;\nDONE:")]
    [InlineData("cvt.rn.f16x2.f32 %0, %1, %2;")]
    [InlineData("red.global.add.f32 [%0], %1;")]
    [InlineData("atom.global.cas.b32 %0, [%1], %2, %3;")]
    [InlineData("tcgen05.commit.cta_group::1.mbarrier::arrive::one.shared::cluster.b64 [%0];")]
    [InlineData("trap;")]
    [InlineData("exit;")]
    [InlineData("/* no-op */ // comment only")]
    public void FirstNonPtxStatement_Ptx_Null(string template)
    {
        Assert.Null(PtxTemplate.FirstNonPtxStatement(template));
    }

    [Theory]
    [InlineData("int $0x80", "int $0x80")]
    [InlineData("syscall", "syscall")]
    [InlineData("mov %eax, %ebx", "mov %eax, %ebx")]
    [InlineData("movl $60, %eax", "movl $60, %eax")]
    [InlineData("mov.u32 %0, 1;\nsyscall", "syscall")]
    [InlineData("mov.s %eax, %ebx", "mov.s %eax, %ebx")]
    [InlineData(".incbin \"expected.bin\"", ".incbin \"expected.bin\"")]
    [InlineData(".section .init_array", ".section .init_array")]
    [InlineData("call system", "call system")]
    [InlineData("ret", "ret")]
    [InlineData("rdtsc", "rdtsc")]
    [InlineData("label: svc #0", "label: svc #0")]
    public void FirstNonPtxStatement_HostAssembly_ReturnsTheStatement(string template, string expected)
    {
        Assert.Equal(expected, PtxTemplate.FirstNonPtxStatement(template));
    }
}
