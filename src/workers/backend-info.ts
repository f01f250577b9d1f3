/**
 * Whether the active tfjs backend runs on an emulated GPU. Headless Chromium's WebGPU adapter and
 * WebGL are SwiftShader (software); there a small Deep SAD network trains ~30× faster on the wasm
 * backend than on the "GPU" (BENCHMARKS.md, The app in Chromium), so the detector worker picks wasm.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../core/tf/backend';

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|software|basic render|microsoft basic/i;

/** `software` and a one-line name of the adapter behind `backend` (the active one). */
export async function describeBackend(backend: BackendName): Promise<{ software: boolean; adapter: string }> {
  try {
    if (backend === 'webgpu') {
      const gpu = (self as unknown as { navigator: Navigator }).navigator.gpu;
      const a = await gpu?.requestAdapter();
      const info = (a as unknown as { info?: GPUAdapterInfo & { isFallbackAdapter?: boolean } })?.info;
      const b = tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } };
      const name = [info?.vendor ?? b.adapterInfo?.vendor, info?.architecture ?? b.adapterInfo?.architecture, info?.device, info?.description].filter(Boolean).join(' ');
      return { software: !!info?.isFallbackAdapter || SOFTWARE.test(name), adapter: name || 'unknown WebGPU adapter' };
    }
    if (backend === 'webgl') {
      const gl = (tf.backend() as unknown as { gpgpu?: { gl: WebGLRenderingContext } }).gpgpu?.gl;
      const ext = gl?.getExtension('WEBGL_debug_renderer_info');
      const name = String((ext && gl?.getParameter(ext.UNMASKED_RENDERER_WEBGL)) ?? gl?.getParameter(gl.RENDERER) ?? '');
      return { software: SOFTWARE.test(name), adapter: name || 'unknown WebGL renderer' };
    }
  } catch {
    // No adapter details: assume a real GPU (the product's default path).
  }
  return { software: backend === 'cpu' || backend === 'wasm', adapter: backend };
}
