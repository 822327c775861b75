package dev.handoff.emulator.marketo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Static lists and requestable campaigns of the emulated instance. Lists hold lead ids with the
 * time each joined; campaigns only remember which leads were requested into them, in order,
 * since what a campaign's flow does lies outside the API.
 */
final class Memberships {

    private record StaticList(int id, String name, NavigableMap<Integer, Instant> members) {
    }

    private record Campaign(int id, String name, List<Integer> requested) {
    }

    private final Map<Integer, StaticList> lists = new LinkedHashMap<>();
    private final Map<Integer, Campaign> campaigns = new LinkedHashMap<>();

    synchronized void addList(int id, String name) {
        if (lists.putIfAbsent(id, new StaticList(id, name, new TreeMap<>())) != null) {
            throw new IllegalArgumentException("list " + id + " exists already");
        }
    }

    synchronized void addCampaign(int id, String name) {
        if (campaigns.putIfAbsent(id, new Campaign(id, name, new ArrayList<>())) != null) {
            throw new IllegalArgumentException("campaign " + id + " exists already");
        }
    }

    synchronized boolean hasList(int id) {
        return lists.containsKey(id);
    }

    synchronized boolean hasCampaign(int id) {
        return campaigns.containsKey(id);
    }

    /** Adds a lead; one already in the list keeps the time it first joined. */
    synchronized void add(int listId, int leadId, Instant at) {
        list(listId).members().putIfAbsent(leadId, at);
    }

    /** @return false when the lead was not a member */
    synchronized boolean remove(int listId, int leadId) {
        return list(listId).members().remove(leadId) != null;
    }

    synchronized boolean isMember(int listId, int leadId) {
        return list(listId).members().containsKey(leadId);
    }

    /** Members with ids above {@code afterLeadId}, in id order, at most {@code limit} plus whether more follow. */
    synchronized List<Integer> members(int listId, int afterLeadId, int limit) {
        return list(listId).members().tailMap(afterLeadId, false).keySet().stream().limit(limit).toList();
    }

    synchronized boolean moreMembers(int listId, int afterLeadId) {
        return list(listId).members().higherKey(afterLeadId) != null;
    }

    synchronized List<Integer> members(int listId) {
        return List.copyOf(list(listId).members().keySet());
    }

    /** The lists a lead is in, with the time it joined each. */
    synchronized Map<Integer, Instant> listsOf(int leadId) {
        Map<Integer, Instant> out = new LinkedHashMap<>();
        lists.values().forEach(l -> {
            Instant at = l.members().get(leadId);
            if (at != null) {
                out.put(l.id(), at);
            }
        });
        return out;
    }

    synchronized void request(int campaignId, List<Integer> leadIds) {
        campaign(campaignId).requested().addAll(leadIds);
    }

    synchronized List<Integer> requests(int campaignId) {
        return List.copyOf(campaign(campaignId).requested());
    }

    synchronized List<Map<String, Object>> state() {
        List<Map<String, Object>> out = new ArrayList<>();
        lists.values().forEach(l -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", l.id());
            row.put("name", l.name());
            row.put("members", List.copyOf(l.members().keySet()));
            out.add(row);
        });
        return out;
    }

    synchronized List<Map<String, Object>> campaignState() {
        List<Map<String, Object>> out = new ArrayList<>();
        campaigns.values().forEach(c -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", c.id());
            row.put("name", c.name());
            row.put("requested", List.copyOf(c.requested()));
            out.add(row);
        });
        return out;
    }

    private StaticList list(int id) {
        StaticList l = lists.get(id);
        if (l == null) {
            throw new MarketoException("1013", "Object not found: static list " + id);
        }
        return l;
    }

    private Campaign campaign(int id) {
        Campaign c = campaigns.get(id);
        if (c == null) {
            throw new MarketoException("1013", "Object not found: campaign " + id);
        }
        return c;
    }
}
