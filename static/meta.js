// meta.js — the region, its counties and its chains, loaded once per page
// (and again after a write), with the lookups every view needs.

import {cached} from './api.js';

// Meta answers "what is the name of …" for codes and ids.
export class Meta {
  constructor(region, counties, chains) {
    this.region = region;
    this.counties = counties;              // counties and zones, dataset order
    this.chains = chains;                  // chains with segments and flows
    this.countyByCode = new Map(counties.map((c) => [c.code, c]));
    this.chainById = new Map(chains.map((c) => [c.id, c]));
    this.segmentById = new Map();
    for (const c of chains) {
      for (const s of c.segments) {
        this.segmentById.set(s.id, {...s, chain: c.id});
      }
    }
  }

  // areaName names an area code: "*" is the whole region (全市), the
  // region's own code its 市本级.
  areaName(code, allLabel) {
    if (code === '*') {
      return allLabel || this.region.name;
    }
    if (code === this.region.code || !code) {
      return this.region.name;
    }
    const c = this.countyByCode.get(code);
    return c ? c.name : code;
  }

  chainName(id) {
    const c = this.chainById.get(id);
    return c ? c.name : id;
  }

  segment(id) {
    return this.segmentById.get(id);
  }

  // areaOf is the area whose panorama shows a record located in county:
  // a zone's county (the county's area includes its zones), the whole
  // region for a record of the region itself.
  areaOf(county) {
    const c = this.countyByCode.get(county);
    if (!c) {
      return '*';
    }
    if (c.kind === 'zone' && c.parent && this.countyByCode.has(c.parent)) {
      return c.parent;
    }
    return c.code;
  }

  // areaOptions lists the areas for a selector: counties in dataset order,
  // each followed by its zones.
  areaOptions() {
    const out = [];
    const zonesOf = new Map();
    for (const c of this.counties) {
      if (c.kind === 'zone' && c.parent && this.countyByCode.has(c.parent)) {
        if (!zonesOf.has(c.parent)) {
          zonesOf.set(c.parent, []);
        }
        zonesOf.get(c.parent).push(c);
      }
    }
    for (const c of this.counties) {
      if (c.kind === 'zone' && c.parent && this.countyByCode.has(c.parent)) {
        continue;
      }
      out.push({code: c.code, name: c.name, zone: c.kind === 'zone'});
      for (const z of zonesOf.get(c.code) || []) {
        out.push({code: z.code, name: z.name, zone: true});
      }
    }
    return out;
  }
}

// loadMeta returns the Meta of the current data.
export async function loadMeta() {
  const [region, counties, chains] = await Promise.all([cached('/region'), cached('/counties'), cached('/chains')]);
  return new Meta(region, counties.items, chains.items);
}
