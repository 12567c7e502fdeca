// Inside the workspace the example's tests run like every package's: @provisio/* mapped to their sources.
import { jestConfig } from '../../jest.preset.js';

export default jestConfig(import.meta.dirname);
