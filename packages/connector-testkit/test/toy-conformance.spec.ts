import { describeConnectorConformance } from '../src/index.js';
import { toyOptions } from './toy-options.js';

// A correct connector passes every case, in both deprovisioning modes.
describeConnectorConformance(toyOptions('delete'));
describeConnectorConformance(toyOptions('deactivate'));
