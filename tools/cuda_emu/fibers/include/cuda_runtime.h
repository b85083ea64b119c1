// Stand-in for the CUDA runtime header: the CPU emulation (emu.h).
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include "emu.h"
