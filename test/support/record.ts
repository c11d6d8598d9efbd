/**
 * The small run the event-log tests record: alerts, a power outage in every
 * region and Service Requests, in a few seconds.
 */
export const SMALL_SCENARIO = `
name: record-small
seed: 7
duration: 3h
estate: { hubs: 2000 }
events:
  - { type: powerOutage, label: storm, at: 30m, regions: [north, central, south, smets1], share: 0.3, duration: 40m, restorationSpread: 5m }
requests:
  secmp0053: true
  traffic:
    - { srv: "4.8.1", perHubPerDay: 2, days: 1, shape: flat }
    - { srv: "1.1.1", perHubPerDay: 1, shape: flat }
`;
