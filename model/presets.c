/* Typical devices and links. Speeds are effective fp32 inference rates at
 * batch 1 (what a framework sustains, well below the datasheet peak); memory
 * is what one inference process can use; load_rate is how fast weights come
 * from storage into compute memory. Links give a -> b as the device's uplink
 * (a = the device, b = the network side) and reverse as its downlink. */
#include "presets.h"

#include <ctype.h>
#include <stddef.h>

static const nn_device_preset devices[] = {
    {.name = "raspberry-pi-4",
     .tier = TIER_EDGE,
     .speed = 8e9,
     .memory = 3e9,
     .load_rate = 40e6,
     .memory_bandwidth = 4e9,
     .rationale = "4x Cortex-A72 at 1.5 GHz, 48 GFLOP/s NEON peak, ~8 GFLOP/s sustained by "
                  "PyTorch/TFLite; 3 of 4 GB free; microSD at ~40 MB/s; LPDDR4-3200 (12.8 GB/s "
                  "peak) sustains ~4 GB/s to the cores (STREAM)"},
    {.name = "smart-camera",
     .tier = TIER_EDGE,
     .speed = 4e9,
     .memory = 512e6,
     .load_rate = 25e6,
     .memory_bandwidth = 2e9,
     .rationale = "camera SoC with a small NPU (e.g. 1 TOPS int8), ~4 GFLOP/s fp32 effective; "
                  "512 MB free; eMMC/SPI flash at ~25 MB/s; 16-bit LPDDR4 at ~2 GB/s sustained"},
    {.name = "jetson-nano",
     .tier = TIER_EDGE,
     .speed = 80e9,
     .memory = 2e9,
     .load_rate = 80e6,
     .memory_bandwidth = 15e9,
     .rationale = "128-core Maxwell GPU, 236 GFLOP/s fp32 peak, ~80 GFLOP/s in cuDNN at batch 1; "
                  "2 of 4 GB shared LPDDR4 free; UHS-I microSD at ~80 MB/s; 64-bit LPDDR4 25.6 "
                  "GB/s peak, ~15 GB/s sustained by the GPU"},
    {.name = "phone",
     .tier = TIER_EDGE,
     .speed = 50e9,
     .memory = 2e9,
     .load_rate = 400e6,
     .memory_bandwidth = 15e9,
     .rationale = "mid-range SoC GPU via a mobile runtime, ~50 GFLOP/s effective; ~2 GB for one "
                  "app; UFS storage read and unpacked at ~400 MB/s; LPDDR4X/LPDDR5 at ~15 GB/s "
                  "sustained to one runtime"},
    {.name = "laptop",
     .tier = TIER_EDGE,
     .speed = 200e9,
     .memory = 8e9,
     .load_rate = 1e9,
     .memory_bandwidth = 25e9,
     .rationale =
         "8-core x86 CPU with AVX2 FMA, ~1 TFLOP/s peak, ~200 GFLOP/s with oneDNN at batch "
         "1; 8 of 16 GB free; NVMe SSD at ~1 GB/s into RAM; dual-channel DDR4-3200, 51 GB/s peak, "
         "~25 GB/s sustained (STREAM)"},
    {.name = "jetson-orin",
     .tier = TIER_HUB,
     .speed = 1.5e12,
     .memory = 12e9,
     .load_rate = 1.5e9,
     .memory_bandwidth = 150e9,
     .rationale =
         "Jetson AGX Orin 32 GB, Ampere GPU ~5 TFLOP/s fp32 peak, ~1.5 TFLOP/s at batch "
         "1; 12 GB free; NVMe at ~1.5 GB/s; 256-bit LPDDR5 at 205 GB/s peak, ~150 GB/s sustained"},
    {.name = "desktop-gpu",
     .tier = TIER_HUB,
     .speed = 5e12,
     .memory = 11e9,
     .load_rate = 2e9,
     .memory_bandwidth = 300e9,
     .rationale =
         "RTX 3060-class GPU, 12.7 TFLOP/s fp32 peak, ~5 TFLOP/s at batch 1; 11 of 12 GB "
         "VRAM; NVMe to VRAM over PCIe at ~2 GB/s; GDDR6 at 360 GB/s peak, ~300 GB/s sustained"},
    {.name = "t4",
     .tier = TIER_CLOUD,
     .speed = 4e12,
     .memory = 15e9,
     .load_rate = 1e9,
     .memory_bandwidth = 250e9,
     .rationale = "NVIDIA T4 cloud instance, 8.1 TFLOP/s fp32 peak, ~4 TFLOP/s at batch 1; 15 of "
                  "16 GB; network disk at ~1 GB/s; GDDR6 at 320 GB/s peak, ~250 GB/s sustained"},
    {.name = "a100",
     .tier = TIER_CLOUD,
     .speed = 40e12,
     .memory = 38e9,
     .load_rate = 3e9,
     .memory_bandwidth = 1300e9,
     .rationale =
         "NVIDIA A100 40 GB, 156 TFLOP/s TF32 peak, ~40 TFLOP/s sustained at batch 1; "
         "38 GB HBM free; local NVMe at ~3 GB/s; HBM2 at 1555 GB/s peak, ~1.3 TB/s sustained"},
};

static const nn_link_preset links[] = {
    {.name = "3g",
     .bandwidth = 1e6,
     .reverse = 4e6,
     .latency = 80e-3,
     .energy = 869e-9,
     .rationale = "HSPA as measured in the field: ~1 Mbit/s up, ~4 Mbit/s down, ~160 ms round "
                  "trip; 869 nJ/bit: the 3G uplink power slope, 869 mW per Mbit/s, measured on "
                  "phones by Huang et al. (MobiSys 2012)"},
    {.name = "4g",
     .bandwidth = 10e6,
     .reverse = 35e6,
     .latency = 25e-3,
     .energy = 250e-9,
     .rationale = "LTE national averages (crowd-sourced speed tests): ~10 Mbit/s up, ~35 Mbit/s "
                  "down, ~50 ms round trip; 250 nJ/bit: ~2.5 W of radio power above idle at "
                  "10 Mbit/s up (Huang et al., MobiSys 2012, measured 438 mW per Mbit/s at low "
                  "LTE uplink rates, flattening above a few Mbit/s)"},
    {.name = "5g",
     .bandwidth = 50e6,
     .reverse = 250e6,
     .latency = 10e-3,
     .energy = 50e-9,
     .rationale = "sub-6 GHz 5G averages: ~50 Mbit/s up, ~250 Mbit/s down, ~20 ms round trip; "
                  "50 nJ/bit: ~2.5 W of modem power above idle while sending at 50 Mbit/s (the "
                  "range smartphone 5G measurements report, e.g. Narayanan et al., SIGCOMM "
                  "2021: less energy per bit than 4G at high rates)"},
    {.name = "wifi",
     .bandwidth = 200e6,
     .reverse = 300e6,
     .latency = 2e-3,
     .energy = 5e-9,
     .rationale = "Wi-Fi 5 in one room: ~200 Mbit/s client up, ~300 Mbit/s down (of 867 Mbit/s "
                  "PHY), ~4 ms round trip; 5 nJ/bit: ~1 W of client radio power above idle at "
                  "200 Mbit/s (phone Wi-Fi power measurements, e.g. Huang et al., MobiSys "
                  "2012, give roughly 1 W while transmitting)"},
    {.name = "ethernet",
     .bandwidth = 940e6,
     .reverse = 940e6,
     .latency = 0.1e-3,
     .energy = 1e-9,
     .rationale = "gigabit Ethernet on one switch: ~940 Mbit/s TCP goodput each way, ~0.2 ms "
                  "round trip; 1 nJ/bit: a 1000BASE-T PHY draws ~0.5-1 W at line rate (the "
                  "measurements behind IEEE 802.3az Energy-Efficient Ethernet)"},
    {.name = "wan",
     .bandwidth = 40e6,
     .reverse = 200e6,
     .latency = 15e-3,
     .energy = 5e-9,
     .rationale = "5 nJ/bit as Wi-Fi to the home router; home broadband to a nearby cloud region: "
                  "~40 Mbit/s up, ~200 Mbit/s down "
                  "(cable/fibre plans), ~30 ms round trip"},
    {.name = "datacenter",
     .bandwidth = 10e9,
     .reverse = 10e9,
     .latency = 0.05e-3,
     .energy = 0.2e-9,
     .rationale = "10 GbE between servers in one rack: ~10 Gbit/s each way, ~0.1 ms round trip; "
                  "0.2 nJ/bit: a 10GBASE-T port draws ~2 W at line rate"},
};

#define NDEVICES ((int)(sizeof devices / sizeof devices[0]))
#define NLINKS ((int)(sizeof links / sizeof links[0]))

/* Case-insensitive, '-' and '_' alike: "Jetson_Nano" finds "jetson-nano". */
static bool same_name(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = *a == '_' ? '-' : tolower((unsigned char)*a);
        int y = *b == '_' ? '-' : tolower((unsigned char)*b);
        if (x != y) return false;
        if (x == '\0') return true;
    }
}

int presets_device_count(void)
{
    return NDEVICES;
}

const nn_device_preset *presets_device_at(int i)
{
    return i >= 0 && i < NDEVICES ? &devices[i] : NULL;
}

const nn_device_preset *presets_device_find(const char *name)
{
    for (int i = 0; name && i < NDEVICES; i++)
        if (same_name(devices[i].name, name)) return &devices[i];
    return NULL;
}

int presets_link_count(void)
{
    return NLINKS;
}

const nn_link_preset *presets_link_at(int i)
{
    return i >= 0 && i < NLINKS ? &links[i] : NULL;
}

const nn_link_preset *presets_link_find(const char *name)
{
    for (int i = 0; name && i < NLINKS; i++)
        if (same_name(links[i].name, name)) return &links[i];
    return NULL;
}
