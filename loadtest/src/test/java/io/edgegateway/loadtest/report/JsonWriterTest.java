package io.edgegateway.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void escapesEveryCharacterJsonNeedsEscaped() throws Exception {
        String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 line separator \u2028 e\u0301 \uD83D\uDE00";
        String json = new JsonWriter().beginObject().name(nasty).value(nasty).endObject().toString();

        JsonNode parsed = new ObjectMapper().readTree(json);
        assertEquals(nasty, parsed.get(nasty).asText());
    }

    @Test
    void writesNullForNumbersThatAreNotFinite() throws Exception {
        String json = new JsonWriter().beginArray()
                .value(Double.NaN).value(Double.POSITIVE_INFINITY).value(1.5).value(2.0).value(1e-7).value(42L)
                .endArray().toString();

        assertEquals("[null,null,1.5,2.0,1.0E-7,42]", new ObjectMapper().readTree(json).toString());
    }

    @Test
    void nestsAndSeparatesMembers() throws Exception {
        String json = new JsonWriter().beginObject()
                .name("empty").beginObject().endObject()
                .name("list").beginArray().value(true).nullValue().beginObject().name("a").value("b").endObject().endArray()
                .endObject().toString();

        assertEquals("{\"empty\":{},\"list\":[true,null,{\"a\":\"b\"}]}", new ObjectMapper().readTree(json).toString());
    }

    @Test
    void refusesAnUnfinishedDocument() {
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().toString());
    }
}
